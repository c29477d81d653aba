package io.stackpilot.planner;

import io.stackpilot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The planner imports no other service, and its decisions stay free of Spring and Kafka. */
class ArchitectureTest {

  @Test
  void plannerIsIsolated() {
    ArchitectureRules.assertServiceIsolated("planner");
  }
}
