package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.stackpilot.events.StepRequested;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations that mark an object as Stackpilot's: for pruning, drift and audit. */
public final class Ownership {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "stackpilot";
  public static final String COMPONENT = "stackpilot.io/component";
  public static final String STACK = "stackpilot.io/stack";
  public static final String DIGEST = "stackpilot.io/digest";
  public static final String ROLLOUT = "stackpilot.io/rollout";
  public static final String STEP = "stackpilot.io/step";

  /** Field manager of every server-side apply, so ownership of fields is Stackpilot's. */
  public static final String FIELD_MANAGER = "stackpilot-applier";

  /**
   * The field manager an object is applied under: {@link #FIELD_MANAGER}, except for the Namespace
   * that components share, which each component applies under its own ({@code
   * stackpilot-applier-<component>}). Under one manager, server-side apply removes the fields the
   * manager's previous apply set and this one does not: loki applying {@code lgtm-system} without
   * the Pod Security label would take away the one kube-prometheus-stack set for node-exporter.
   * Each component owning its own labels, they add up.
   */
  public static String fieldManager(HasMetadata object, String component) {
    return "Namespace".equals(object.getKind()) ? FIELD_MANAGER + "-" + component : FIELD_MANAGER;
  }

  private Ownership() {}

  /**
   * The labels that select one component's objects, and only objects Stackpilot manages: what a
   * prune deletes. Objects shared by components (the Namespace) do not carry the component label.
   */
  public static Map<String, String> componentSelector(String component) {
    Map<String, String> labels = new LinkedHashMap<>(); // a stable label selector in requests
    labels.put(MANAGED_BY, MANAGER);
    labels.put(COMPONENT, component);
    return Collections.unmodifiableMap(labels);
  }

  /**
   * Marks a component's own object: the prune selector as labels, and digest, rollout and step as
   * annotations, so drift and audit can tell which step wrote it. Keeps labels the renderer set.
   */
  static <T extends HasMetadata> T own(T object, StepRequested step) {
    ObjectMeta meta = object.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(componentSelector(step.getComponent()));
    if (step.getStackName() != null) {
      labels.put(STACK, step.getStackName());
    }
    if (meta.getLabels() != null) {
      labels.putAll(meta.getLabels());
    }
    meta.setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (meta.getAnnotations() != null) {
      annotations.putAll(meta.getAnnotations());
    }
    annotations.put(DIGEST, step.getDigest());
    annotations.put(ROLLOUT, step.getEnvelope().getCorrelationId());
    annotations.put(STEP, step.getStepId());
    meta.setAnnotations(annotations);
    return object;
  }
}
