package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.RolloutGateFailure;
import java.util.List;
import java.util.Map;

/**
 * A rollout plan: waves of clusters, per cluster the components in dependency order, and the gate
 * every wave must pass before the next starts.
 */
public record Plan(List<Wave> waves, List<Step> steps, Gate gate) {

  /** A plan gated by the defaults: healthy components required, halt on failure. */
  public Plan(List<Wave> waves, List<Step> steps) {
    this(waves, steps, Gate.DEFAULT);
  }

  /**
   * Clusters rolled out together, then soaked and gated; at most {@code maxUnavailable} of them are
   * being changed at once.
   */
  public record Wave(
      int index, String name, List<String> clusters, int soakSeconds, int maxUnavailable) {

    /** A wave whose clusters may all be changed at once. */
    public Wave(int index, String name, List<String> clusters, int soakSeconds) {
      this(index, name, clusters, soakSeconds, clusters.size());
    }
  }

  /**
   * What must hold after a wave's soak: healthy components, passing probes, a burn rate at most
   * {@code maxBurnRate} (null: not gated on it); and what a failure does.
   */
  public record Gate(
      boolean requireHealthy,
      boolean requireProbes,
      Double maxBurnRate,
      RolloutGateFailure onGateFailure) {
    public static final Gate DEFAULT = new Gate(true, false, null, RolloutGateFailure.HALT);
  }

  /** One component on one cluster, with everything the applier needs and its digest. */
  public record Step(
      String stepId,
      int waveIndex,
      String cluster,
      String tenant,
      String component,
      String namespace,
      int order,
      List<String> dependsOn,
      String chartRepository,
      String chartName,
      String chartVersion,
      Map<String, String> values,
      String digest) {}
}
