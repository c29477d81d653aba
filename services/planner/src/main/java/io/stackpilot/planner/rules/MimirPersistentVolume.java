package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** mimir-distributed's StatefulSet parts take {@code persistentVolume}, not {@code persistence}. */
final class MimirPersistentVolume extends SeedRule {
  MimirPersistentVolume() {
    super(
        "MIMIR-PERSISTENT-VOLUME",
        Severity.ERROR,
        "000",
        "Mimir's StatefulSet parts (ingester, store_gateway, compactor, alertmanager) are given a"
            + " volume by `<part>.persistentVolume`. Seed 000: \"Mimir uses `persistentVolume`"
            + " (not `persistence`) for StatefulSet components\".",
        "Rename `<part>.persistence` to `<part>.persistentVolume` (enabled, storageClass, size)."
            + " volumeClaimTemplates cannot be patched: delete the StatefulSet and its PVCs if it"
            + " already exists.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.MIMIR)) {
      return;
    }
    for (String part : MimirParts.STATEFUL) {
      VPath path = VPath.of(part, "persistence");
      if (Values.contains(c.values(), path)) {
        out.add(
            finding(
                c.field(path),
                "mimir-distributed ignores `"
                    + part
                    + ".persistence`: the "
                    + part
                    + " StatefulSet keeps the chart's default volume"));
      }
    }
  }
}
