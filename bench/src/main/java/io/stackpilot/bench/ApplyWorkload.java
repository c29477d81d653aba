package io.stackpilot.bench;

import io.stackpilot.events.ChartRef;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StepRequested events ApplyBenchmark applies: one per cluster and component, in a namespace of
 * their own per pass, so that every pass writes new objects instead of finding them applied.
 */
final class ApplyWorkload {
  /** The 8 components of the acceptance line, with the chart each installs. */
  static final List<ChartRef> CHARTS =
      List.of(
          new ChartRef("https://grafana.github.io/helm-charts", "loki", "6.16.0"),
          new ChartRef("https://grafana.github.io/helm-charts", "tempo", "1.10.3"),
          new ChartRef("https://grafana.github.io/helm-charts", "mimir-distributed", "5.5.1"),
          new ChartRef("https://grafana.github.io/helm-charts", "grafana", "8.5.2"),
          new ChartRef("https://grafana.github.io/helm-charts", "alloy", "0.9.1"),
          new ChartRef(
              "https://prometheus-community.github.io/helm-charts",
              "kube-prometheus-stack",
              "65.1.1"),
          new ChartRef("https://grafana.github.io/helm-charts", "pyroscope", "1.9.1"),
          new ChartRef(
              "https://prometheus-community.github.io/helm-charts",
              "prometheus-blackbox-exporter",
              "9.0.1"));

  static final List<String> COMPONENTS =
      List.of(
          "loki",
          "tempo",
          "mimir",
          "grafana",
          "alloy",
          "kube-prometheus-stack",
          "pyroscope",
          "blackbox");

  private ApplyWorkload() {}

  static List<String> clusters(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      names.add(PlanStack.name(i));
    }
    return names;
  }

  /**
   * One pass's steps, cluster by cluster, each component in turn; {@code occurredAt} is set when
   * the step is sent (see {@link #stamp}).
   */
  static List<StepRequested> steps(String pass, List<String> clusters, int components) {
    List<StepRequested> steps = new ArrayList<>(clusters.size() * components);
    for (String cluster : clusters) {
      for (int c = 0; c < components; c++) {
        String component = COMPONENTS.get(c);
        StepRequested step = Events.stepRequested(pass, cluster, component);
        step.setNamespace("bench-" + pass);
        step.setChart(CHARTS.get(c));
        step.setValues(values(component, cluster));
        step.setValuesJson(valuesJson(component, cluster));
        step.setDigest("sha256:" + pass + "-" + component);
        steps.add(step);
      }
    }
    return steps;
  }

  /** A few values of the kind a stack sets, one of them per cluster. */
  private static Map<String, String> values(String component, String cluster) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(component + ".replicas", "2");
    values.put(component + ".resources.requests.cpu", "500m");
    values.put(component + ".resources.requests.memory", "1Gi");
    values.put(component + ".podLabels.cluster", cluster);
    values.put(component + ".serviceMonitor.enabled", "true");
    return values;
  }

  /** The same values typed, as the planner writes them for the applier to render from. */
  private static String valuesJson(String component, String cluster) {
    return "{\""
        + component
        + "\":{\"podLabels\":{\"cluster\":\""
        + cluster
        + "\"},\"replicas\":2,\"resources\":{\"requests\":{\"cpu\":\"500m\","
        + "\"memory\":\"1Gi\"}},\"serviceMonitor\":{\"enabled\":true}}}";
  }

  static StepRequested stamp(StepRequested step) {
    step.getEnvelope().setOccurredAt(Instant.now());
    return step;
  }
}
