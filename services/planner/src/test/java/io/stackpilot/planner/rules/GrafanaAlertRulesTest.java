package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.GRAFANA_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 000: Query → Reduce → Threshold. */
class GrafanaAlertRulesTest {

  static String grafana(String data) {
    return """
        components:
          - name: grafana
            type: grafana
            namespace: lgtm-system
            %s
            values:
              alerting:
                rules.yaml:
                  apiVersion: 1
                  groups:
                    - name: cpu-ram-usage
                      interval: 1m
                      orgId: 1
                      folder: "Infrastructure"
                      rules:
                        - uid: high-cpu-usage
                          title: High CPU Usage
                          condition: cpu_threshold
                          data:
        %s                  noDataState: NoData
                          execErrState: Alerting
                          for: 5m
                          labels:
                            severity: warning
                            cluster: "homelab"
        """
        .formatted(GRAFANA_CHART, data.indent(20));
  }

  static final String QUERY =
      """
      - refId: cpu_usage
        relativeTimeRange:
          from: 300
          to: 0
        datasourceUid: mimir-homelab
        model:
          expr: (sum(rate(container_cpu_usage_seconds_total{id=~"/kubepods/.*"}[5m])) / sum(machine_cpu_cores)) * 100
      """;

  static final String REDUCE =
      """
      - refId: cpu_reduced
        datasourceUid: __expr__
        model:
          expression: cpu_usage
          reducer: last
          type: reduce
      """;

  static String threshold(String input) {
    return """
        - refId: cpu_threshold
          datasourceUid: __expr__
          model:
            expression: %s
            type: threshold
            conditions:
              - evaluator:
                  params: [90]
                  type: gt
        """
        .formatted(input);
  }

  @Test
  void aThresholdOnTheQueryItself() {
    onlyFinding(
        stack(grafana(QUERY + threshold("cpu_usage"))),
        "GRAFANA-ALERT-REDUCE",
        "stack.spec.components[0].values.alerting[\"rules.yaml\"].groups[0].rules[0].data[1]"
            + ".model.expression");
    clean(stack(grafana(QUERY + REDUCE + threshold("cpu_reduced"))));
  }
}
