package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supporting objects follow the typed settings and the cluster's tenant. */
class SupportingObjectsTest {
  final StepRenderer renderer = new StepRenderer();

  @Test
  void grafanaDatasourcesHaveAUidPerTenantAndTheTenantHeaderWhereDeclared() {
    StepRequested step = grafana("perso");

    ConfigMap cm = configMap(renderer.render(step), "grafana-datasources");

    assertThat(cm.getMetadata().getLabels())
        .containsEntry("grafana_datasource", "1")
        .containsEntry(Ownership.COMPONENT, "grafana");
    assertThat(cm.getData().get("datasources.yaml"))
        .isEqualTo(
            """
            apiVersion: 1
            datasources:
            - name: Mimir
              type: prometheus
              uid: mimir-perso
              access: proxy
              url: http://mimir-gateway/prometheus
              isDefault: true
              jsonData:
                httpHeaderName1: X-Scope-OrgID
              secureJsonData:
                httpHeaderValue1: perso
              editable: false
            - name: Alertmanager
              type: alertmanager
              uid: alertmanager-perso
              access: proxy
              url: http://alertmanager:9093
              isDefault: false
              editable: false
            """);
    assertThat(
            configMap(renderer.render(grafana("foundation")), "grafana-datasources")
                .getData()
                .get("datasources.yaml"))
        .contains("uid: mimir-foundation", "httpHeaderValue1: foundation");
  }

  @Test
  void grafanasDatasourceSidecarIsTurnedOnUnlessTheValuesSayOtherwise() {
    StepRequested step = grafana("perso");
    assertThat(helmValues(step))
        .containsEntry("sidecar", Map.of("datasources", Map.of("enabled", true)));

    step.setValues(Map.of("sidecar.datasources.enabled", "false"));
    assertThat(helmValues(step))
        .containsEntry("sidecar", Map.of("datasources", Map.of("enabled", false)));
  }

  @Test
  void anAlloyGatewayForwardsOtlpAndFaroToItsWritersWithTheTenantWhereAsked() {
    StepRequested step = Events.stepRequested("r1", "perso", "alloy-gateway");
    step.setComponentType("alloy");
    step.setComponentSpec(
        """
        {"alloy":{"faro":{"port":12347},"mode":"gateway","otlp":{"grpcPort":4317,"httpPort":4318},
         "writes":[{"signal":"traces","url":"tempo.observability.svc.cluster.local:4317"},
                   {"signal":"metrics","tenantHeader":true,"url":"http://mimir/api/v1/push"},
                   {"signal":"logs","url":"http://loki:3100/loki/api/v1/push"}]}}
        """);

    List<HasMetadata> objects = renderer.render(step);
    String config = configMap(objects, "alloy-gateway-config").getData().get("config.alloy");

    assertThat(config)
        .contains(
            "otelcol.receiver.otlp \"default\"",
            "endpoint = \"0.0.0.0:4317\"",
            "endpoint = \"0.0.0.0:4318\"")
        .contains("listen_port    = 12347")
        .contains(
            "otelcol.exporter.otlp \"traces\"",
            "endpoint = \"tempo.observability.svc.cluster.local:4317\"")
        .contains("prometheus.remote_write \"metrics\"", "url = \"http://mimir/api/v1/push\"")
        .contains("\"X-Scope-OrgID\" = \"perso\"")
        .contains("loki.write \"logs\"")
        .doesNotContain("loki.source.file");
    // only the metrics writer asked for the tenant
    assertThat(config.split("X-Scope-OrgID", -1)).hasSize(2);
    assertThat(helmValues(step).get("alloy"))
        .isEqualTo(
            Map.of(
                "configMap",
                Map.of("create", false, "name", "alloy-gateway-config", "key", "config.alloy")));
    assertThat(objects.get(0).getMetadata().getLabels())
        .doesNotContainKey(SupportingObjects.POD_SECURITY_ENFORCE);
  }

  @Test
  void anAlloyAgentReadsPodLogsAndMountsThemUnlessTheValuesBringAConfiguration() {
    StepRequested step = Events.stepRequested("r1", "perso", "alloy");
    step.setComponentType("alloy");
    step.setComponentSpec(
        "{\"alloy\":{\"mode\":\"agent\",\"writes\":[{\"signal\":\"logs\",\"tenantHeader\":true,\"url\":\"http://loki/push\"}]}}");
    step.setValues(Map.of());

    String config = configMap(renderer.render(step), "alloy-config").getData().get("config.alloy");
    assertThat(config)
        .contains("local.file_match \"pods\"", "forward_to = [loki.write.logs.receiver]")
        .contains("\"X-Scope-OrgID\" = \"perso\"")
        .doesNotContain("otelcol.receiver.otlp");
    assertThat(helmValues(step).get("alloy"))
        .isEqualTo(
            Map.of(
                "configMap", Map.of("create", false, "name", "alloy-config", "key", "config.alloy"),
                "mounts", Map.of("varlog", true)));

    step.setValues(Map.of("alloy.configMap.content", "logging {}\n"));
    assertThat(helmValues(step).get("alloy"))
        .isEqualTo(Map.of("configMap", Map.of("content", "logging {}\n")));
  }

  @Test
  void probesGoThroughTheComponentsBlackboxExporterAndSlosAreGroupedByService() {
    List<StepRequested> steps = ExampleSteps.of("seed-004-flux-lgtm-pyroscope.yaml", null);
    List<HasMetadata> probes =
        renderer.render(
            steps.stream()
                .filter(s -> s.getComponent().equals("blackbox-exporter"))
                .findFirst()
                .orElseThrow());
    List<HasMetadata> slos =
        renderer.render(
            steps.stream().filter(s -> s.getComponent().equals("sloth")).findFirst().orElseThrow());

    var grafanaProbe = StepRendererTest.custom(probes, "Probe");
    assertThat(StepRendererTest.spec(grafanaProbe))
        .containsEntry(
            "prober",
            Map.of("url", "blackbox-exporter-prometheus-blackbox-exporter.observability.svc:9115"))
        .containsEntry("module", "http_2xx")
        .containsEntry(
            "targets",
            Map.of("staticConfig", Map.of("static", List.of("https://grafana.example.com"))));
    assertThat(probes.stream().filter(o -> o.getKind().equals("Probe")))
        .extracting(o -> o.getMetadata().getName())
        .containsExactly(
            "blackbox-exporter-grafana",
            "blackbox-exporter-prometheus",
            "blackbox-exporter-alertmanager");
    assertThat(slos.stream().filter(o -> o.getKind().equals("PrometheusServiceLevel")))
        .extracting(o -> o.getApiVersion() + " " + o.getMetadata().getName())
        .containsExactly(
            "sloth.slok.dev/v1 sloth-myapp",
            "sloth.slok.dev/v1 sloth-ingress",
            "sloth.slok.dev/v1 sloth-k6-canary");
  }

  @Test
  void theChartFullnameIsTheReleaseWhenItContainsTheChart() {
    assertThat(Resources.chartFullname("kube-prometheus-stack", "kube-prometheus-stack"))
        .isEqualTo("kube-prometheus-stack");
    assertThat(Resources.chartFullname("blackbox", "prometheus-blackbox-exporter"))
        .isEqualTo("blackbox-prometheus-blackbox-exporter");
  }

  private static StepRequested grafana(String cluster) {
    StepRequested step = Events.stepRequested("r1", cluster, "grafana");
    step.setComponentType("grafana");
    step.setValues(Map.of());
    step.setComponentSpec(
        """
        {"grafana":{"datasources":[
          {"isDefault":true,"name":"Mimir","tenantHeader":true,"type":"prometheus","url":"http://mimir-gateway/prometheus"},
          {"name":"Alertmanager","type":"alertmanager","url":"http://alertmanager:9093"}]}}
        """);
    return step;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> helmValues(StepRequested step) {
    return (Map<String, Object>)
        StepRendererTest.spec(StepRendererTest.custom(renderer.render(step), "HelmRelease"))
            .get("values");
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String name) {
    return (ConfigMap)
        objects.stream()
            .filter(o -> o.getKind().equals("ConfigMap") && o.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow();
  }
}
