package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a plan step into the objects to apply, in apply order: the component's Namespace, its
 * supporting objects (Grafana datasources, the Alloy configuration), a ConfigMap that records the
 * component's chart, values and digest, then what the driver installs the chart with (Flux
 * HelmRepository/OCIRepository + HelmRelease, or an Argo CD Application; nothing for MANIFESTS,
 * which cannot template a chart without Helm), then objects of CRDs a chart brings (Probes, Sloth
 * SLOs). A pure function: same step, same objects. See DESIGN.md beside this class.
 */
public final class StepRenderer {

  /**
   * A kind this renderer can produce: what a prune has to look through, and where: the step's
   * namespace, or a fixed one ({@code namespace}, e.g. Argo CD Applications live in argocd).
   */
  public record RenderedKind(String apiVersion, String kind, boolean namespaced, String namespace) {
    RenderedKind(String apiVersion, String kind, boolean namespaced) {
      this(apiVersion, kind, namespaced, null);
    }

    /** The namespace a component's objects of this kind are in. */
    public String namespaceFor(String stepNamespace) {
      return namespace != null ? namespace : stepNamespace;
    }
  }

  /**
   * Every kind {@link #render} produces, in apply order. Keep in step with render(): a kind missing
   * here would never be pruned (StepRendererTest checks it).
   */
  public static final List<RenderedKind> KINDS =
      List.of(
          new RenderedKind("v1", "Namespace", false),
          new RenderedKind("v1", "ConfigMap", true),
          new RenderedKind(FluxObjects.SOURCE_API, "HelmRepository", true),
          new RenderedKind(FluxObjects.SOURCE_API, "OCIRepository", true),
          new RenderedKind(FluxObjects.HELM_API, "HelmRelease", true),
          new RenderedKind(ArgoObjects.API, "Application", true, ArgoObjects.NAMESPACE),
          new RenderedKind("monitoring.coreos.com/v1", "Probe", true),
          new RenderedKind("sloth.slok.dev/v1", "PrometheusServiceLevel", true));

  public List<HasMetadata> render(StepRequested step) {
    ComponentSettings settings = ComponentSettings.of(step.getComponentSpec());
    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(SupportingObjects.grafanaDatasources(step, settings));
    owned.addAll(SupportingObjects.alloyConfig(step, settings));
    owned.add(record(step));
    if (step.getChart() != null) {
      Map<String, Object> values = valuesOf(step);
      values =
          HelmValues.withDefaults(values, SupportingObjects.chartDefaults(step, settings, values));
      switch (driverOf(step)) {
        case FLUX -> owned.addAll(FluxObjects.render(step, values));
        case ARGOCD -> owned.addAll(ArgoObjects.render(step, values));
        case MANIFESTS -> {} // no chart templating without Helm: the record says what to install
      }
    }
    owned.addAll(SupportingObjects.probes(step, settings));
    owned.addAll(SupportingObjects.serviceLevels(step, settings));

    List<HasMetadata> objects = new ArrayList<>();
    objects.add(SupportingObjects.namespace(step, settings));
    owned.forEach(o -> objects.add(Ownership.own(o, step)));
    objects.sort(Comparator.comparingInt(StepRenderer::applyRank)); // stable: keeps order in a kind
    return List.copyOf(objects);
  }

  /**
   * The step's Helm values tree: typed, from {@code valuesJson}; for a step written before it
   * existed, guessed back from the flattened values ({@link HelmValues#unflatten}).
   */
  static Map<String, Object> valuesOf(StepRequested step) {
    return step.getValuesJson() == null
        ? HelmValues.unflatten(step.getValues())
        : HelmValues.fromJson(step.getValuesJson());
  }

  static RenderDriver driverOf(StepRequested step) {
    return step.getDriver() == null ? RenderDriver.FLUX : step.getDriver();
  }

  private static int applyRank(HasMetadata o) {
    for (int i = 0; i < KINDS.size(); i++) {
      if (KINDS.get(i).kind().equals(o.getKind())
          && KINDS.get(i).apiVersion().equals(o.getApiVersion())) {
        return i;
      }
    }
    throw new IllegalStateException("rendered a kind missing from KINDS: " + o.getKind());
  }

  /** The record of what the step installs: chart and flattened values, readable with kubectl. */
  private static HasMetadata record(StepRequested step) {
    Map<String, String> data = new LinkedHashMap<>();
    if (step.getChart() != null) {
      data.put("chart.repository", step.getChart().getRepository());
      data.put("chart.name", step.getChart().getName());
      data.put("chart.version", step.getChart().getVersion());
    }
    // sorted: a decoded Avro map has no order, and the record should read the same every time
    new TreeMap<>(step.getValues()).forEach((k, v) -> data.put("values." + configMapKey(k), v));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("stackpilot-" + step.getComponent())
        .withNamespace(step.getNamespace())
        .endMetadata()
        .withData(data)
        .build();
  }

  /** ConfigMap keys allow [-._a-zA-Z0-9]; list indexes become dots. */
  static String configMapKey(String dottedKey) {
    return dottedKey.replace('[', '.').replace("]", "").replaceAll("[^-._a-zA-Z0-9]", "_");
  }
}
