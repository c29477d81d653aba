package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.RolloutTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the selected clusters into waves: the canaries first, then the others in fleet order, every
 * wave at most {@code batchSize} clusters. Canaries more than one batch make several canary waves.
 */
final class WavePlanner {
  private WavePlanner() {}

  static List<Plan.Wave> waves(RolloutTargets targets, int soakSeconds) {
    List<Plan.Wave> waves = new ArrayList<>();
    add(waves, "canary", names(targets.canaries()), targets, soakSeconds);
    add(waves, "batch", names(targets.batched()), targets, soakSeconds);
    return List.copyOf(waves);
  }

  private static void add(
      List<Plan.Wave> waves,
      String kind,
      List<String> clusters,
      RolloutTargets targets,
      int soakSeconds) {
    int batch = targets.batchSize();
    int count = (clusters.size() + batch - 1) / batch;
    for (int i = 0; i < count; i++) {
      List<String> wave =
          List.copyOf(clusters.subList(i * batch, Math.min(clusters.size(), (i + 1) * batch)));
      // "canary" alone keeps the name the single-canary-wave plans always had.
      String name = kind.equals("canary") && count == 1 ? kind : kind + "-" + (i + 1);
      int maxUnavailable = Math.min(targets.maxUnavailable(), wave.size());
      waves.add(new Plan.Wave(waves.size(), name, wave, soakSeconds, maxUnavailable));
    }
  }

  private static List<String> names(List<FleetSpec.Cluster> clusters) {
    return clusters.stream().map(FleetSpec.Cluster::name).toList();
  }
}
