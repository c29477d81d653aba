package io.stackpilot.stackctl;

/** How a read command prints: a table for people, or the planner's JSON as it came, for scripts. */
enum Output {
  // lower case: these are the values typed after -o
  table,
  json
}
