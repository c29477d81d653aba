package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** Tempo's trace storage block is {@code storage.trace}, singular. */
final class TempoStorageTrace extends SeedRule {
  private static final List<VPath> WRONG =
      List.of(VPath.of("tempo", "storage", "traces"), VPath.of("storage", "traces"));

  TempoStorageTrace() {
    super(
        "TEMPO-STORAGE-TRACE",
        Severity.ERROR,
        "000",
        "Tempo's storage block is `storage.trace`. Seed 000: \"The storage field is `trace`"
            + " (singular), not `traces` (plural). This is a common mistake that causes"
            + " configuration validation errors.\"",
        "Rename `traces` to `trace`: `tempo.storage.trace` (tempo chart) or `storage.trace`"
            + " (tempo-distributed).");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.TEMPO)) {
      return;
    }
    for (VPath path : WRONG) {
      if (Values.contains(c.values(), path)) {
        out.add(
            finding(
                c.field(path),
                "`storage.traces` is not a Tempo setting: Tempo fails config validation on"
                    + " start; the block is `storage.trace`"));
      }
    }
  }
}
