package io.stackpilot.verifier;

import io.stackpilot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The verifier imports no other service, and its decisions stay free of Spring and Kafka. */
class ArchitectureTest {

  @Test
  void verifierIsIsolated() {
    ArchitectureRules.assertServiceIsolated("verifier");
  }
}
