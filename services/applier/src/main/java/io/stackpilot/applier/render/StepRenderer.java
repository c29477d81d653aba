package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.stackpilot.events.StepRequested;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a plan step into the objects to apply: the component's Namespace and a ConfigMap that
 * records the component's chart, values and digest. A pure function: same step, same objects.
 */
public final class StepRenderer {

  /** A kind this renderer can produce: what a prune has to look through. */
  public record RenderedKind(String apiVersion, String kind, boolean namespaced) {}

  /**
   * Every kind {@link #render} produces, in apply order. Keep in step with render(): a kind missing
   * here would never be pruned (StepRendererTest checks it).
   */
  public static final List<RenderedKind> KINDS =
      List.of(
          new RenderedKind("v1", "Namespace", false), new RenderedKind("v1", "ConfigMap", true));

  public List<HasMetadata> render(StepRequested step) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Ownership.MANAGED_BY, Ownership.MANAGER);
    labels.put(Ownership.COMPONENT, step.getComponent());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Ownership.DIGEST, step.getDigest());
    annotations.put(Ownership.ROLLOUT, step.getEnvelope().getCorrelationId());
    annotations.put(Ownership.STEP, step.getStepId());

    Map<String, String> data = new LinkedHashMap<>();
    if (step.getChart() != null) {
      data.put("chart.repository", step.getChart().getRepository());
      data.put("chart.name", step.getChart().getName());
      data.put("chart.version", step.getChart().getVersion());
    }
    step.getValues().forEach((k, v) -> data.put("values." + configMapKey(k), v));

    return List.of(
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(step.getNamespace())
            .addToLabels(Ownership.MANAGED_BY, Ownership.MANAGER)
            .endMetadata()
            .build(),
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("stackpilot-" + step.getComponent())
            .withNamespace(step.getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withData(data)
            .build());
  }

  /** ConfigMap keys allow [-._a-zA-Z0-9]; list indexes become dots. */
  static String configMapKey(String dottedKey) {
    return dottedKey.replace('[', '.').replace("]", "").replaceAll("[^-._a-zA-Z0-9]", "_");
  }
}
