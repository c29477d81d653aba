package io.stackpilot.notifier;

import io.stackpilot.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The notifier imports no other service, and its decisions stay free of Spring and Kafka. */
class ArchitectureTest {

  @Test
  void notifierIsIsolated() {
    ArchitectureRules.assertServiceIsolated("notifier");
  }
}
