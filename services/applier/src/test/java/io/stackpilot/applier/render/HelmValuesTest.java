package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Flattened values come back as the tree the planner flattened, typed as helm --set types them. */
class HelmValuesTest {

  @Test
  void scalarsAreTypedAsHelmSetTypesThem() {
    assertThat(HelmValues.typed("true")).isEqualTo(true);
    assertThat(HelmValues.typed("False")).isEqualTo(false);
    assertThat(HelmValues.typed("null")).isNull();
    assertThat(HelmValues.typed("0")).isEqualTo(0L);
    assertThat(HelmValues.typed("3")).isEqualTo(3L);
    assertThat(HelmValues.typed("-2")).isEqualTo(-2L);
    // kept as strings, as --set keeps them
    assertThat(HelmValues.typed("0755")).isEqualTo("0755");
    assertThat(HelmValues.typed("0.5")).isEqualTo("0.5");
    assertThat(HelmValues.typed("2024-01-01")).isEqualTo("2024-01-01");
    assertThat(HelmValues.typed("10Gi")).isEqualTo("10Gi");
    assertThat(HelmValues.typed("")).isEqualTo("");
  }

  @Test
  void nestedMapsAndListsComeBack() {
    Map<String, Object> tree =
        HelmValues.unflatten(
            Map.of(
                "singleBinary.extraArgs[0]", "-config.expand-env=true",
                "loki.schemaConfig.configs[0].from", "2024-01-01",
                "loki.schemaConfig.configs[0].index.period", "24h",
                "loki.schemaConfig.configs[1].from", "2025-01-01",
                "ingester.persistentVolume.size", "20Gi",
                "ingester.replicas", "3"));

    assertThat(tree)
        .isEqualTo(
            Map.of(
                "singleBinary", Map.of("extraArgs", List.of("-config.expand-env=true")),
                "loki",
                    Map.of(
                        "schemaConfig",
                        Map.of(
                            "configs",
                            List.of(
                                Map.of("from", "2024-01-01", "index", Map.of("period", "24h")),
                                Map.of("from", "2025-01-01")))),
                "ingester", Map.of("persistentVolume", Map.of("size", "20Gi"), "replicas", 3L)));
  }

  @Test
  void dottedKeysTheChartsUseAreRecovered() {
    Map<String, Object> tree =
        HelmValues.unflatten(
            Map.of(
                "grafana.ini.server.root_url", "https://grafana.example.com",
                "grafana.ini.auth.github.enabled", "true",
                "ingress.annotations.nginx.ingress.kubernetes.io/auth-type", "basic",
                "global.extraArgs.config.expand-env", "true",
                "datasources.datasources.yaml.apiVersion", "1",
                "prometheus.prometheusSpec.remoteWrite[0].headers.X-Scope-OrgID", "perso",
                "escaped.a\\.b", "x"));

    assertThat(tree)
        .containsEntry(
            "grafana.ini",
            Map.of(
                "server", Map.of("root_url", "https://grafana.example.com"),
                "auth.github", Map.of("enabled", true)))
        .containsEntry(
            "ingress",
            Map.of("annotations", Map.of("nginx.ingress.kubernetes.io/auth-type", "basic")))
        .containsEntry("global", Map.of("extraArgs", Map.of("config.expand-env", true)))
        .containsEntry("datasources", Map.of("datasources.yaml", Map.of("apiVersion", 1L)))
        .containsEntry("escaped", Map.of("a.b", "x"));
    assertThat(tree.get("prometheus"))
        .isEqualTo(
            Map.of(
                "prometheusSpec",
                Map.of(
                    "remoteWrite", List.of(Map.of("headers", Map.of("X-Scope-OrgID", "perso"))))));
  }

  /** Every example's values survive flatten then unflatten, up to --set typing. */
  @Test
  void theExamplesValuesRoundTrip() {
    for (String file :
        Arrays.asList(
            "seed-000-lgtm-ansible.yaml",
            "seed-001-lgtm-multitenant.yaml",
            "seed-002-kube-prometheus-loki-flux.yaml",
            "seed-003-argocd-thanos-s3.yaml",
            "seed-004-flux-lgtm-pyroscope.yaml",
            "lgtm-multicluster.yaml")) {
      ExampleSteps.of(file, null)
          .forEach(
              step -> {
                Map<String, String> again = new TreeMap<>();
                ExampleSteps.flatten("", HelmValues.unflatten(step.getValues()), again);
                assertThat(again)
                    .as(file + " " + step.getComponent())
                    .isEqualTo(new TreeMap<>(step.getValues()));
              });
    }
  }

  @Test
  void defaultsFillOnlyWhatTheValuesLeaveOut() {
    Map<String, Object> values =
        HelmValues.unflatten(
            Map.of("sidecar.dashboards.enabled", "true", "sidecar.datasources.enabled", "false"));

    assertThat(
            HelmValues.withDefaults(
                values, HelmValues.nested("sidecar", "datasources", "enabled", true)))
        .isEqualTo(values);
    assertThat(
            HelmValues.withDefaults(
                HelmValues.unflatten(Map.of("sidecar.dashboards.enabled", "true")),
                HelmValues.nested("sidecar", "datasources", "enabled", true)))
        .isEqualTo(
            Map.of(
                "sidecar",
                Map.of(
                    "dashboards",
                    Map.of("enabled", true),
                    "datasources",
                    Map.of("enabled", true))));
  }
}
