package io.stackpilot.fleet.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps at second precision, as the API server writes them. */
final class Timestamps {

  private Timestamps() {}

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
