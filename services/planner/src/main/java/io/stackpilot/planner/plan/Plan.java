package io.stackpilot.planner.plan;

import java.util.List;
import java.util.Map;

/** A rollout plan: waves of clusters, and per cluster the components in dependency order. */
public record Plan(List<Wave> waves, List<Step> steps) {

  /** Clusters rolled out together, then gated. */
  public record Wave(int index, String name, List<String> clusters, int soakSeconds) {}

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
