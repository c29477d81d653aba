package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** mimir-distributed's store gateway values are under {@code store_gateway}. */
final class MimirStoreGatewayKey extends SeedRule {
  MimirStoreGatewayKey() {
    super(
        "MIMIR-STORE-GATEWAY-KEY",
        Severity.ERROR,
        "000",
        "The store gateway's values key is snake_case. Seed 000: \"Must use snake_case"
            + " `store_gateway`, not camelCase `storeGateway`\".",
        "Move the values from `storeGateway` to `store_gateway`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    VPath path = VPath.of("storeGateway");
    if (c.is(ComponentType.MIMIR) && Values.contains(c.values(), path)) {
      out.add(
          finding(
              c.field(path),
              "mimir-distributed has no `storeGateway` values: replicas and persistentVolume"
                  + " set there are ignored"));
    }
  }
}
