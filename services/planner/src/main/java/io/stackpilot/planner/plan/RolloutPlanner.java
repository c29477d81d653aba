package io.stackpilot.planner.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackpilot.planner.spec.FleetOverride;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.HelmValues;
import io.stackpilot.planner.spec.RenderDriver;
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
    Map<String, Plan.Render> renders = new LinkedHashMap<>();
    RenderDriver stackDriver = stack.spec().driverOrDefault();
    for (StackSpec.Component c : ordered) {
      renders.put(c.name(), render(c, stackDriver));
    }
    List<Plan.Step> steps = new ArrayList<>();
    for (Plan.Wave wave : waves) {
      for (String name : wave.clusters()) {
        FleetSpec.Cluster cluster = clusters.get(name);
        for (StackSpec.Component c : ordered) {
          steps.add(step(rolloutId, wave, cluster, c, graph, renders.get(c.name())));
        }
      }
    }
    return new Plan(
        waves,
        List.copyOf(steps),
        gate(rollout),
        rollout == null
            ? FleetSpec.Rollout.DEFAULT_STEP_TIMEOUT_SECONDS
            : rollout.stepTimeoutSecondsOrDefault(),
        rollout == null
            ? FleetSpec.Rollout.DEFAULT_GATE_TIMEOUT_SECONDS
            : rollout.gateTimeoutSecondsOrDefault(),
        fleet.spec().driftModeOrDefault());
  }

  private static Plan.Step step(
      String rolloutId,
      Plan.Wave wave,
      FleetSpec.Cluster cluster,
      StackSpec.Component c,
      DependencyGraph graph,
      Plan.Render render) {
    FleetOverride override = cluster.overridesOrEmpty().get(c.name());
    Map<String, Object> merged =
        override == null
            ? c.valuesOrEmpty()
            : HelmValues.merge(c.valuesOrEmpty(), override.valuesOrEmpty());
    Map<String, String> values =
        ComponentValues.withTenant(ComponentValues.flatten(merged), cluster.tenant());
    String valuesJson =
        ComponentValues.json(ComponentValues.withTenantTree(merged, cluster.tenant()));
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
        valuesJson,
        digest(c, values, render),
        render);
  }

  /** Fields of a component that are not its typed settings: they travel in the step itself. */
  private static final List<String> UNTYPED =
      List.of("name", "type", "namespace", "chart", "dependsOn", "values", "driver");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /** The component's type, driver and typed settings (JSON, keys sorted): the same per cluster. */
  static Plan.Render render(StackSpec.Component c, RenderDriver stackDriver) {
    ObjectNode typed = JSON.valueToTree(c);
    typed.remove(UNTYPED);
    try {
      return new Plan.Render(
          c.type() == null ? null : c.type().yamlName(),
          c.driverOr(stackDriver),
          typed.isEmpty() ? null : JSON.writeValueAsString(typed));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed component writes back as JSON", e);
    }
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

  /**
   * sha256 over what decides the applied objects: component, namespace, chart, values, and how it
   * is rendered (driver, typed settings). Over the flattened values, not the typed JSON: digests of
   * deployed components must not change with the form a step carries its values in.
   */
  static String digest(StackSpec.Component c, Map<String, String> values, Plan.Render render) {
    StringBuilder text = new StringBuilder();
    text.append(c.name()).append('\n').append(c.namespace()).append('\n');
    text.append(c.chart().repository()).append('\n').append(c.chart().name()).append('\n');
    text.append(c.chart().version()).append('\n');
    values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    if (render != null) {
      text.append("driver=").append(render.driver().yamlName()).append('\n');
      text.append("spec=").append(render.componentSpec()).append('\n');
    }
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
