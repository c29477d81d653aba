package io.stackpilot.planner.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which clusters a fleet rolls out to, resolved from its selector and strategy: the selected
 * clusters in fleet order, the canaries among them (named ones in the order named, then the ones
 * the canary selector adds, in fleet order), the rest, and the batch size and maxUnavailable as
 * counts.
 *
 * <p>Percentages are of the selected clusters. batchSize rounds up, maxUnavailable rounds down (as
 * Kubernetes rounds maxUnavailable), both at least 1. Without batchSize every wave may take all
 * selected clusters; without maxUnavailable a whole wave may be unavailable at once.
 */
public record RolloutTargets(
    List<FleetSpec.Cluster> selected,
    List<FleetSpec.Cluster> canaries,
    List<FleetSpec.Cluster> batched,
    int batchSize,
    int maxUnavailable) {

  /** Resolves a fleet; an unusable batchSize or maxUnavailable is refused with its field. */
  public static RolloutTargets of(FleetSpec fleet) {
    FleetSpec.Spec spec = fleet.spec();
    FleetSpec.Rollout rollout = spec.rollout();
    List<FleetSpec.Cluster> selected =
        FleetSelectorMatcher.select(spec.selector(), spec.clustersOrEmpty());
    Map<String, FleetSpec.Cluster> byName = new LinkedHashMap<>();
    selected.forEach(c -> byName.put(c.name(), c));
    Map<String, FleetSpec.Cluster> canaries = new LinkedHashMap<>();
    if (rollout != null) {
      for (String name : rollout.canaryOrEmpty()) {
        if (byName.containsKey(name)) {
          canaries.putIfAbsent(name, byName.get(name));
        }
      }
      if (rollout.canarySelector() != null) {
        FleetSelectorMatcher.select(rollout.canarySelector(), selected)
            .forEach(c -> canaries.putIfAbsent(c.name(), c));
      }
    }
    List<FleetSpec.Cluster> batched = new ArrayList<>(selected);
    batched.removeIf(c -> canaries.containsKey(c.name()));
    int total = selected.size();
    int batchSize =
        resolve(rollout == null ? null : rollout.batchSize(), "batchSize", total, true, total);
    int maxUnavailable =
        resolve(
            rollout == null ? null : rollout.maxUnavailable(),
            "maxUnavailable",
            total,
            false,
            batchSize);
    return new RolloutTargets(
        selected, List.copyOf(canaries.values()), List.copyOf(batched), batchSize, maxUnavailable);
  }

  private static int resolve(
      RolloutQuantity q, String field, int total, boolean roundUp, int fallback) {
    if (q == null) {
      return Math.max(1, fallback);
    }
    q.problem()
        .ifPresent(
            p -> {
              throw SpecException.of("fleet.spec.rollout." + field, p);
            });
    return q.resolve(total, roundUp);
  }
}
