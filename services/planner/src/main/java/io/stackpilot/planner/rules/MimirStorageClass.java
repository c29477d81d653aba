package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** mimir-distributed's {@code persistentVolume} takes {@code storageClass}. */
final class MimirStorageClass extends SeedRule {
  MimirStorageClass() {
    super(
        "MIMIR-STORAGE-CLASS",
        Severity.ERROR,
        "000",
        "Mimir's `<part>.persistentVolume` names its class with `storageClass`. Seed 000: \"Use"
            + " `storageClass` (not `storageClassName`) for StatefulSet volumeClaimTemplates\".",
        "Rename `persistentVolume.storageClassName` to `persistentVolume.storageClass`; delete the"
            + " StatefulSet and its PVCs if the volumes were already created.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.MIMIR)) {
      return;
    }
    for (String part : MimirParts.STATEFUL) {
      VPath path = VPath.of(part, "persistentVolume", "storageClassName");
      if (Values.contains(c.values(), path)) {
        out.add(
            finding(
                c.field(path),
                "`"
                    + part
                    + ".persistentVolume.storageClassName` is ignored: the volume claim template"
                    + " takes the cluster's default class instead of the declared one"));
      }
    }
  }
}
