package io.stackpilot.planner.rules;

/** ERROR: the declared stack will not work as declared. WARNING: it works, with a known risk. */
public enum Severity {
  ERROR,
  WARNING
}
