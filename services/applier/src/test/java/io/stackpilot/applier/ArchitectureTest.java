package io.stackpilot.applier;

import io.stackpilot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The applier imports no other service, and its decisions stay free of Spring and Kafka. */
class ArchitectureTest {

  @Test
  void applierIsIsolated() {
    ArchitectureRules.assertServiceIsolated("applier");
  }
}
