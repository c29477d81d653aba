package io.stackpilot.planner.spec;

import java.util.Arrays;
import java.util.Optional;

/** What a failed gate does: stop the rollout where it is, or also roll the failed wave back. */
public enum RolloutGateFailure {
  HALT("halt"),
  ROLLBACK_WAVE("rollback-wave");

  private final String yamlName;

  RolloutGateFailure(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  public static Optional<RolloutGateFailure> of(String name) {
    return Arrays.stream(values()).filter(p -> p.yamlName.equals(name)).findFirst();
  }
}
