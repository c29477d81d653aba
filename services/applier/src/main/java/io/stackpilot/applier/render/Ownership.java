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
  public static final String DIGEST = "stackpilot.io/digest";
  public static final String ROLLOUT = "stackpilot.io/rollout";
  public static final String STEP = "stackpilot.io/step";

  /** Field manager of every server-side apply, so ownership of fields is Stackpilot's. */
  public static final String FIELD_MANAGER = "stackpilot-applier";

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
