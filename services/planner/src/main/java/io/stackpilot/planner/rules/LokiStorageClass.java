package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** The Loki chart's StatefulSet targets take {@code persistence.storageClass}. */
final class LokiStorageClass extends SeedRule {
  private static final List<String> STATEFUL =
      List.of(
          "singleBinary",
          "backend",
          "write",
          "read",
          "ingester",
          "querier",
          "compactor",
          "indexGateway",
          "ruler");

  LokiStorageClass() {
    super(
        "LOKI-STORAGE-CLASS",
        Severity.ERROR,
        "000",
        "Loki's StatefulSet targets name their class with `<target>.persistence.storageClass`."
            + " Seed 000: \"Both backend and write components need `volumeClaimsEnabled: true`"
            + " and use `storageClass` (not `storageClassName`) for StatefulSet"
            + " volumeClaimTemplates\".",
        "Rename `<target>.persistence.storageClassName` to `<target>.persistence.storageClass`;"
            + " delete the StatefulSet and its PVCs if the volumes were already created.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.LOKI)) {
      return;
    }
    for (String target : STATEFUL) {
      VPath path = VPath.of(target, "persistence", "storageClassName");
      if (Values.contains(c.values(), path)) {
        out.add(
            finding(
                c.field(path),
                "`"
                    + target
                    + ".persistence.storageClassName` is ignored: the volume claim template takes"
                    + " the cluster's default class instead of the declared one"));
      }
    }
  }
}
