package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.FleetOverride;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.HelmValues;
import io.stackpilot.planner.spec.RolloutGates;
import io.stackpilot.planner.spec.RolloutTargets;
import io.stackpilot.planner.spec.StackSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated stack and fleet into a plan: a pure function (no clock, no randomness), so a
 * replay of the same desired state plans the same rollout. Waves come from the fleet's selector and
 * strategy ({@link WavePlanner}); each cluster's steps follow the {@link DependencyGraph} ranks.
 */
public final class RolloutPlanner {

  public Plan plan(StackSpec stack, FleetSpec fleet, String rolloutId) {
    DependencyGraph graph = DependencyGraph.of(stack.spec().components());
    List<StackSpec.Component> ordered = graph.inOrder();
    RolloutTargets targets = RolloutTargets.of(fleet);
    FleetSpec.Rollout rollout = fleet.spec().rollout();
    List<Plan.Wave> waves =
        WavePlanner.waves(targets, rollout == null ? 0 : rollout.soakSecondsOrZero());
    Map<String, FleetSpec.Cluster> clusters = new LinkedHashMap<>();
    targets.selected().forEach(c -> clusters.put(c.name(), c));
    List<Plan.Step> steps = new ArrayList<>();
    for (Plan.Wave wave : waves) {
      for (String name : wave.clusters()) {
        FleetSpec.Cluster cluster = clusters.get(name);
        for (StackSpec.Component c : ordered) {
          steps.add(step(rolloutId, wave, cluster, c, graph));
        }
      }
    }
    return rollout == null
        ? new Plan(waves, List.copyOf(steps), gate(null))
        : new Plan(
            waves,
            List.copyOf(steps),
            gate(rollout),
            rollout.stepTimeoutSecondsOrDefault(),
            rollout.gateTimeoutSecondsOrDefault());
  }

  private static Plan.Step step(
      String rolloutId,
      Plan.Wave wave,
      FleetSpec.Cluster cluster,
      StackSpec.Component c,
      DependencyGraph graph) {
    FleetOverride override = cluster.overridesOrEmpty().get(c.name());
    Map<String, Object> merged =
        override == null
            ? c.valuesOrEmpty()
            : HelmValues.merge(c.valuesOrEmpty(), override.valuesOrEmpty());
    Map<String, String> values =
        ComponentValues.withTenant(ComponentValues.flatten(merged), cluster.tenant());
    return new Plan.Step(
        rolloutId + "/" + cluster.name() + "/" + c.name(),
        wave.index(),
        cluster.name(),
        cluster.tenant(),
        c.name(),
        c.namespace(),
        graph.rank(c.name()),
        graph.dependenciesOf(c.name()),
        c.chart().repository(),
        c.chart().name(),
        c.chart().version(),
        values,
        digest(c, values));
  }

  private static Plan.Gate gate(FleetSpec.Rollout rollout) {
    if (rollout == null) {
      return Plan.Gate.DEFAULT;
    }
    RolloutGates gates = rollout.gatesOrDefault();
    return new Plan.Gate(
        gates.healthyRequired(),
        gates.probesRequired(),
        gates.maxBurnRate(),
        rollout.gateFailure());
  }

  /** sha256 over what decides the applied objects: component, namespace, chart, values. */
  static String digest(StackSpec.Component c, Map<String, String> values) {
    StringBuilder text = new StringBuilder();
    text.append(c.name()).append('\n').append(c.namespace()).append('\n');
    text.append(c.chart().repository()).append('\n').append(c.chart().name()).append('\n');
    text.append(c.chart().version()).append('\n');
    values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return "sha256:" + sha256(text.toString());
  }

  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
