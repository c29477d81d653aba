package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** Mimir 3 (mimir-distributed 6) needs the Push gRPC method when ingest storage is off. */
final class MimirPushGrpc extends SeedRule {
  static final int FIRST_CHART_MAJOR_WITH_MIMIR_3 = 6;

  MimirPushGrpc() {
    super(
        "MIMIR-PUSH-GRPC",
        Severity.ERROR,
        "000",
        "With `ingest_storage.enabled: false`, Mimir 3.0+ (chart mimir-distributed 6.x, 6.0.1 in"
            + " the seed) needs `ingester.push_grpc_method_enabled: true`. Seed 000: without it"
            + " \"ingester pods crash with: error validating config: cannot disable Push gRPC"
            + " method in ingester, while ingest storage (-ingest-storage.enabled) is not"
            + " enabled\". A version that does not start with a major (e.g. `*`) counts as"
            + " the newest.",
        "Set `mimir.structuredConfig.ingester.push_grpc_method_enabled: true`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.MIMIR) || c.spec().chart() == null) {
      return;
    }
    int major = c.spec().chart().major();
    if (major >= 0 && major < FIRST_CHART_MAJOR_WITH_MIMIR_3) {
      return;
    }
    Object ingest = c.get("mimir", "structuredConfig", "ingest_storage", "enabled");
    Object push = c.get("mimir", "structuredConfig", "ingester", "push_grpc_method_enabled");
    if (Values.isFalse(ingest) && !Values.isTrue(push)) {
      out.add(
          finding(
              c.field(
                  VPath.of("mimir", "structuredConfig", "ingester", "push_grpc_method_enabled")),
              "ingest storage is disabled but the ingester's Push gRPC method is not enabled:"
                  + " Mimir "
                  + (major < 0 ? "3.x" : "3.x (chart " + c.spec().chart().version() + ")")
                  + " ingesters refuse to start"));
    }
  }
}
