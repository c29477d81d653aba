package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.FleetOverride;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.HelmValues;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.StackSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack as declared, or as one cluster gets it (the cluster's overrides merged over the stack's
 * values). Rules look at every view, so a pitfall that only an override introduces is found too,
 * and named at the override's path.
 */
record StackView(
    SpecParser.Declared declared, FleetSpec.Cluster cluster, List<ComponentView> components) {

  /** The declared view first, then one per cluster in fleet order. */
  static List<StackView> of(SpecParser.Declared declared) {
    List<StackView> views = new ArrayList<>();
    views.add(new StackView(declared, null, components(declared, null, -1)));
    List<FleetSpec.Cluster> clusters = clusters(declared);
    for (int i = 0; i < clusters.size(); i++) {
      views.add(new StackView(declared, clusters.get(i), components(declared, clusters.get(i), i)));
    }
    return views;
  }

  static List<FleetSpec.Cluster> clusters(SpecParser.Declared declared) {
    FleetSpec fleet = declared.fleet();
    return fleet == null || fleet.spec() == null || fleet.spec().clusters() == null
        ? List.of()
        : fleet.spec().clusters();
  }

  private static List<ComponentView> components(
      SpecParser.Declared declared, FleetSpec.Cluster cluster, int clusterIndex) {
    StackSpec stack = declared.stack();
    List<StackSpec.Component> list =
        stack == null || stack.spec() == null ? List.of() : stack.spec().componentsOrEmpty();
    List<ComponentView> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      StackSpec.Component c = list.get(i);
      Map<String, Object> override = override(cluster, c.name());
      Map<String, Object> values =
          override == null ? c.valuesOrEmpty() : HelmValues.merge(c.valuesOrEmpty(), override);
      out.add(new ComponentView(i, c, values, clusterIndex, override));
    }
    return out;
  }

  private static Map<String, Object> override(FleetSpec.Cluster cluster, String component) {
    if (cluster == null || component == null) {
      return null;
    }
    FleetOverride o = cluster.overridesOrEmpty().get(component);
    return o == null ? null : o.valuesOrEmpty();
  }

  /** The declared view: not a cluster's. */
  boolean declaredView() {
    return cluster == null;
  }

  List<ComponentView> ofType(ComponentType type) {
    return components.stream().filter(c -> c.spec().type() == type).toList();
  }

  Optional<ComponentView> named(String name) {
    return components.stream()
        .filter(c -> name != null && name.equals(c.spec().name()))
        .findFirst();
  }

  /**
   * One component in a view: its spec, its effective values, and where a values path is written (in
   * the stack, or in the cluster's override when the override sets it).
   */
  record ComponentView(
      int index,
      StackSpec.Component spec,
      Map<String, Object> values,
      int clusterIndex,
      Map<String, Object> override) {

    String at() {
      return "stack.spec.components[" + index + "]";
    }

    /** A typed field of the component, e.g. {@code objectStorage.secretRef}. */
    String field(String relative) {
      return at() + "." + relative;
    }

    /** A values path, in the stack or in the fleet override that sets it. */
    String field(VPath path) {
      if (override != null && Values.contains(override, path)) {
        return "fleet.spec.clusters["
            + clusterIndex
            + "].overrides."
            + spec.name()
            + ".values"
            + path.render();
      }
      return at() + ".values" + path.render();
    }

    Object get(Object... path) {
      return Values.get(values, path);
    }

    boolean is(ComponentType type) {
      return spec.type() == type;
    }
  }
}
