package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;

/** Loki enforces retention only when its compactor's retention is on. */
final class LokiRetentionCompactor extends SeedRule {
  LokiRetentionCompactor() {
    super(
        "LOKI-RETENTION-COMPACTOR",
        Severity.ERROR,
        "002",
        "A Loki retention (typed `retention`, `loki.limits_config.retention_period`, or a"
            + " `limits_config.retention_period` at the chart root as seed 000 writes it) is"
            + " applied by the compactor only with `loki.compactor.retention_enabled: true`. Seed"
            + " 002: \"Retention: 7 days (`limits_config.retention_period: 168h`), compactor"
            + " deletes expired chunks\"; seed 004: retention \"via `compactor` +"
            + " `limits_config.retention_period`\". Seed 000 sets the period with no compactor.",
        "Set `loki.compactor.retention_enabled: true` and put the period in"
            + " `loki.limits_config.retention_period`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.LOKI)
        || Values.isTrue(c.get("loki", "compactor", "retention_enabled"))) {
      return;
    }
    if (declared(c.spec().retention())) {
      out.add(problem(c.field("retention"), c.spec().retention()));
    }
    for (VPath path :
        List.of(
            VPath.of("loki", "limits_config", "retention_period"),
            VPath.of("limits_config", "retention_period"))) {
      String period = Values.text(Values.get(c.values(), path));
      if (declared(period)) {
        out.add(problem(c.field(path), period));
      }
    }
  }

  private Finding problem(String field, String period) {
    return finding(
        field,
        "retention "
            + period
            + " is declared but loki.compactor.retention_enabled is not true: Loki never"
            + " deletes expired chunks");
  }

  private static boolean declared(String period) {
    return period != null && !period.isBlank() && !period.matches("0+[a-z]*");
  }
}
