package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** Loki needs a schema config. */
final class LokiSchemaConfig extends SeedRule {
  LokiSchemaConfig() {
    super(
        "LOKI-SCHEMA-CONFIG",
        Severity.ERROR,
        "000",
        "Loki needs `loki.schemaConfig.configs`. Seed 000: \"Schema Config: Required for Loki to"
            + " define storage schema and index configuration\" (the chart refuses to render"
            + " without one unless `loki.useTestSchema: true`).",
        "Add `loki.schemaConfig.configs: [{from: \"2024-01-01\", store: tsdb, object_store:"
            + " filesystem (or s3), schema: v13, index: {prefix: index_, period: 24h}}]`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.LOKI)) {
      return;
    }
    boolean configs = !Values.list(c.get("loki", "schemaConfig", "configs")).isEmpty();
    if (!configs && !Values.isTrue(c.get("loki", "useTestSchema"))) {
      out.add(
          finding(
              c.field(VPath.of("loki", "schemaConfig")),
              "Loki has no schema config: it cannot define its storage schema and index, and the"
                  + " chart will not render"));
    }
  }
}
