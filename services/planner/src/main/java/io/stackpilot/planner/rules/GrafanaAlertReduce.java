package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.List;
import java.util.Map;

/** A Grafana threshold expression must read reduced data, not a query's time series. */
final class GrafanaAlertReduce extends SeedRule {
  private static final String EXPRESSION_DATASOURCE = "__expr__";

  GrafanaAlertReduce() {
    super(
        "GRAFANA-ALERT-REDUCE",
        Severity.ERROR,
        "000",
        "In a provisioned Grafana alert rule, a `threshold` expression reads a `reduce` (or"
            + " math) expression, never a query directly. Seed 000: \"Alert expressions must"
            + " follow a specific flow: Query → Reduce → Threshold\"; without the reduce step"
            + " Grafana fails with \"invalid format of evaluation results for the alert"
            + " definition cpu_threshold: looks like time series data, only reduced data can be"
            + " alerted on\" and the seed's alerts fired constantly.",
        "Insert `{refId: <x>_reduced, datasourceUid: __expr__, model: {type: reduce, reducer:"
            + " last, expression: <query refId>}}` and point the threshold's `expression` at it.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.GRAFANA) && !c.is(ComponentType.KUBE_PROMETHEUS_STACK)) {
      return;
    }
    Values.walk(
        c.values(),
        VPath.ROOT,
        (path, node) -> {
          List<?> data = Values.list(Values.get(node, "data"));
          if (!(node instanceof Map<?, ?>) || data.isEmpty()) {
            return;
          }
          for (int i = 0; i < data.size(); i++) {
            Object model = Values.get(data.get(i), "model");
            if (!"threshold".equalsIgnoreCase(Values.text(Values.get(model, "type")))) {
              continue;
            }
            String input = Values.text(Values.get(model, "expression"));
            Object source = byRefId(data, input);
            if (source != null
                && !EXPRESSION_DATASOURCE.equals(
                    Values.text(Values.get(source, "datasourceUid")))) {
              out.add(
                  finding(
                      c.field(path.key("data").index(i).key("model").key("expression")),
                      "threshold '"
                          + Values.text(Values.get(data.get(i), "refId"))
                          + "' reads query '"
                          + input
                          + "' directly: Grafana refuses time series (only reduced data can be"
                          + " alerted on)"));
            }
          }
        });
  }

  private static Object byRefId(List<?> data, String refId) {
    for (Object d : data) {
      if (refId != null && refId.equals(Values.text(Values.get(d, "refId")))) {
        return d;
      }
    }
    return null;
  }
}
