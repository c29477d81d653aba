package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.fleet.simulator.ChartCatalog.Kind;
import io.stackpilot.fleet.simulator.ChartCatalog.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the catalog names workloads as the real charts do for the seeds' releases. */
class ChartCatalogTest {

  @Test
  void mimirDistributedReleaseMimir() {
    assertThat(names(ChartCatalog.workloads("mimir-distributed", "mimir")))
        .containsExactly(
            "StatefulSet mimir-ingester",
            "StatefulSet mimir-store-gateway",
            "StatefulSet mimir-compactor",
            "Deployment mimir-distributor",
            "Deployment mimir-querier",
            "Deployment mimir-query-frontend",
            "Deployment mimir-gateway");
  }

  @Test
  void singleChartsNamedAfterTheirRelease() {
    assertThat(names(ChartCatalog.workloads("loki", "loki"))).containsExactly("StatefulSet loki");
    assertThat(names(ChartCatalog.workloads("tempo", "tempo")))
        .containsExactly("StatefulSet tempo");
    assertThat(names(ChartCatalog.workloads("grafana", "grafana")))
        .containsExactly("Deployment grafana");
    assertThat(names(ChartCatalog.workloads("alloy", "alloy"))).containsExactly("DaemonSet alloy");
  }

  @Test
  void aReleaseNotContainingTheChartNameIsPrefixed() {
    assertThat(names(ChartCatalog.workloads("mimir-distributed", "lgtm")))
        .contains("StatefulSet lgtm-mimir-ingester");
    assertThat(names(ChartCatalog.workloads("grafana", "dashboards")))
        .containsExactly("Deployment dashboards-grafana");
  }

  @Test
  void kubePrometheusStack() {
    assertThat(names(ChartCatalog.workloads("kube-prometheus-stack", "monitoring")))
        .containsExactly(
            "Deployment monitoring-kube-prometheus-operator",
            "Deployment monitoring-grafana",
            "Deployment monitoring-kube-state-metrics",
            "DaemonSet monitoring-prometheus-node-exporter",
            "StatefulSet prometheus-monitoring-kube-prometheus-prometheus",
            "StatefulSet alertmanager-monitoring-kube-prometheus-alertmanager");
    // a release that already says kube-prometheus is not repeated, as in the real chart
    assertThat(names(ChartCatalog.workloads("kube-prometheus-stack", "kube-prometheus-stack")))
        .contains(
            "Deployment kube-prometheus-stack-operator",
            "StatefulSet prometheus-kube-prometheus-stack-prometheus");
  }

  @Test
  void anUnknownChartGivesOneDeploymentNamedAfterTheRelease() {
    List<Workload> workloads = ChartCatalog.workloads("pyroscope-custom", "profiles");
    assertThat(names(workloads)).containsExactly("Deployment profiles");
    assertThat(workloads.get(0).appName()).isEqualTo("pyroscope-custom");
  }

  @Test
  void statefulSetsHaveAClaimTemplateAndOthersDoNot() {
    for (Workload workload : ChartCatalog.workloads("mimir-distributed", "mimir")) {
      assertThat(workload.volumeClaimTemplate().isPresent())
          .as(workload.name())
          .isEqualTo(workload.kind() == Kind.STATEFUL_SET);
    }
  }

  @Test
  void fullnamesAreTruncatedTo63Characters() {
    String release = "a".repeat(70);
    assertThat(ChartCatalog.fullname(release, "grafana")).hasSize(63);
  }

  private static List<String> names(List<Workload> workloads) {
    return workloads.stream().map(w -> w.kind().kind() + " " + w.name()).toList();
  }
}
