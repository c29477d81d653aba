package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.StepRequested;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flux driver: a chart source (HelmRepository for https charts, OCIRepository for oci:// ones)
 * and a HelmRelease, as Flux users write them (seed 004).
 *
 * <p>Both are named after the component: one source per component, so the source belongs to exactly
 * one component and a prune of one component never removes another's source (a shared {@code
 * grafana} HelmRepository would be labelled with whichever component applied it last). {@code
 * dependsOn} lists the other components' HelmReleases by name only: Flux takes them in the
 * HelmRelease's own namespace, which holds as long as a stack's components share a namespace (as in
 * every example); the step does not carry the other components' namespaces.
 */
final class FluxObjects {
  static final String SOURCE_API = "source.toolkit.fluxcd.io/v1";
  static final String HELM_API = "helm.toolkit.fluxcd.io/v2";

  /** How often Flux re-reads the source and re-checks the release: the common template values. */
  static final String SOURCE_INTERVAL = "1h";

  static final String RELEASE_INTERVAL = "30m";

  /** Retries before Flux gives up an install or upgrade; upgrades then roll back. */
  static final int RETRIES = 3;

  /** The media type of a Helm chart's layer in an OCI artifact (Flux docs, OCIRepository). */
  static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

  private FluxObjects() {}

  static List<HasMetadata> render(StepRequested step, Map<String, Object> values) {
    ChartRef chart = step.getChart();
    boolean oci = chart.getRepository().startsWith("oci://");
    HasMetadata source = oci ? ociRepository(step, chart) : helmRepository(step, chart);
    return List.of(source, helmRelease(step, chart, oci, values));
  }

  private static HasMetadata helmRepository(StepRequested step, ChartRef chart) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("interval", SOURCE_INTERVAL);
    spec.put("url", chart.getRepository());
    return Resources.custom(
        SOURCE_API, "HelmRepository", step.getComponent(), step.getNamespace(), spec);
  }

  /**
   * An OCIRepository points at the chart itself ({@code <repository>/<chart>}); an exact version is
   * its tag, a range ({@code 17.x}, {@code >=1.0}) its semver.
   */
  private static HasMetadata ociRepository(StepRequested step, ChartRef chart) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("interval", SOURCE_INTERVAL);
    String repo = chart.getRepository().replaceAll("/+$", "");
    spec.put("url", repo.endsWith("/" + chart.getName()) ? repo : repo + "/" + chart.getName());
    spec.put(
        "ref", Map.of(isExactVersion(chart.getVersion()) ? "tag" : "semver", chart.getVersion()));
    Map<String, Object> layer = new LinkedHashMap<>();
    layer.put("mediaType", HELM_CHART_LAYER);
    layer.put("operation", "copy");
    spec.put("layerSelector", layer);
    return Resources.custom(
        SOURCE_API, "OCIRepository", step.getComponent(), step.getNamespace(), spec);
  }

  static boolean isExactVersion(String version) {
    return version.matches("v?[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]*)?");
  }

  private static HasMetadata helmRelease(
      StepRequested step, ChartRef chart, boolean oci, Map<String, Object> values) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("interval", RELEASE_INTERVAL);
    if (oci) {
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("kind", "OCIRepository");
      ref.put("name", step.getComponent());
      spec.put("chartRef", ref);
    } else {
      Map<String, Object> sourceRef = new LinkedHashMap<>();
      sourceRef.put("kind", "HelmRepository");
      sourceRef.put("name", step.getComponent());
      Map<String, Object> chartSpec = new LinkedHashMap<>();
      chartSpec.put("chart", chart.getName());
      chartSpec.put("version", chart.getVersion());
      chartSpec.put("sourceRef", sourceRef);
      chartSpec.put("interval", SOURCE_INTERVAL);
      spec.put("chart", Map.of("spec", chartSpec));
    }
    if (!step.getDependsOn().isEmpty()) {
      spec.put("dependsOn", step.getDependsOn().stream().map(d -> Map.of("name", d)).toList());
    }
    spec.put("install", install(step));
    spec.put("upgrade", upgrade(step));
    spec.put("values", values);
    return Resources.custom(
        HELM_API, "HelmRelease", step.getComponent(), step.getNamespace(), spec);
  }

  private static Map<String, Object> install(StepRequested step) {
    Map<String, Object> install = new LinkedHashMap<>();
    if (installsCrds(step)) {
      install.put("crds", "CreateReplace");
    }
    install.put("remediation", Map.of("retries", RETRIES));
    return install;
  }

  private static Map<String, Object> upgrade(StepRequested step) {
    Map<String, Object> upgrade = new LinkedHashMap<>();
    upgrade.put("cleanupOnFail", true);
    if (installsCrds(step)) {
      // Helm never upgrades CRDs; the operator's new fields would be dropped without this
      upgrade.put("crds", "CreateReplace");
    }
    Map<String, Object> remediation = new LinkedHashMap<>();
    remediation.put("retries", RETRIES);
    remediation.put("strategy", "rollback");
    upgrade.put("remediation", remediation);
    return upgrade;
  }

  private static boolean installsCrds(StepRequested step) {
    return "kube-prometheus-stack".equals(step.getComponentType());
  }
}
