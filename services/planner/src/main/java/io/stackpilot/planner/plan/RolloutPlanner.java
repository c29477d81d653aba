package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.StackSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a validated stack and fleet into a plan: a pure function (no clock, no randomness), so a
 * replay of the same desired state plans the same rollout.
 */
public final class RolloutPlanner {

  public Plan plan(StackSpec stack, FleetSpec fleet, String rolloutId) {
    Map<String, Integer> ranks = ranks(stack.spec().components());
    List<Plan.Wave> waves = waves(fleet);
    List<Plan.Step> steps = new ArrayList<>();
    Map<String, FleetSpec.Cluster> clusters = new LinkedHashMap<>();
    fleet.spec().clusters().forEach(c -> clusters.put(c.name(), c));
    List<StackSpec.Component> ordered = new ArrayList<>(stack.spec().components());
    ordered.sort((a, b) -> Integer.compare(ranks.get(a.name()), ranks.get(b.name())));
    for (Plan.Wave wave : waves) {
      for (String cluster : wave.clusters()) {
        for (StackSpec.Component c : ordered) {
          Map<String, String> values = flatten(c.valuesOrEmpty());
          steps.add(
              new Plan.Step(
                  rolloutId + "/" + cluster + "/" + c.name(),
                  wave.index(),
                  cluster,
                  clusters.get(cluster).tenant(),
                  c.name(),
                  c.namespace(),
                  ranks.get(c.name()),
                  c.dependsOnOrEmpty(),
                  c.chart().repository(),
                  c.chart().name(),
                  c.chart().version(),
                  values,
                  digest(c, values)));
        }
      }
    }
    return new Plan(waves, steps);
  }

  /** Dependency rank per component (0 = depends on nothing); a cycle is named and refused. */
  static Map<String, Integer> ranks(List<StackSpec.Component> components) {
    Map<String, StackSpec.Component> byName = new LinkedHashMap<>();
    components.forEach(c -> byName.put(c.name(), c));
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (StackSpec.Component c : components) {
      rank(c.name(), byName, ranks, new LinkedHashSet<>());
    }
    return ranks;
  }

  private static int rank(
      String name,
      Map<String, StackSpec.Component> byName,
      Map<String, Integer> ranks,
      Set<String> visiting) {
    Integer known = ranks.get(name);
    if (known != null) {
      return known;
    }
    if (!visiting.add(name)) {
      throw SpecException.of(
          "stack.spec.components[" + indexOf(byName, name) + "].dependsOn",
          "dependency cycle: " + String.join(" -> ", visiting) + " -> " + name);
    }
    int rank = 0;
    for (String dep : byName.get(name).dependsOnOrEmpty()) {
      rank = Math.max(rank, rank(dep, byName, ranks, visiting) + 1);
    }
    visiting.remove(name);
    ranks.put(name, rank);
    return rank;
  }

  private static int indexOf(Map<String, StackSpec.Component> byName, String name) {
    return new ArrayList<>(byName.keySet()).indexOf(name);
  }

  /** Canary clusters first, then the others in batches, in the fleet's order. */
  static List<Plan.Wave> waves(FleetSpec fleet) {
    FleetSpec.Rollout rollout = fleet.spec().rollout();
    List<String> canary =
        rollout == null || rollout.canary() == null ? List.of() : rollout.canary();
    int soak = rollout == null || rollout.soakSeconds() == null ? 0 : rollout.soakSeconds();
    List<String> rest = new ArrayList<>();
    fleet.spec().clusters().stream().map(FleetSpec.Cluster::name).forEach(rest::add);
    rest.removeAll(canary);
    int batch =
        rollout == null || rollout.batchSize() == null
            ? Math.max(1, rest.size())
            : rollout.batchSize();
    List<Plan.Wave> waves = new ArrayList<>();
    if (!canary.isEmpty()) {
      waves.add(new Plan.Wave(0, "canary", List.copyOf(canary), soak));
    }
    for (int i = 0; i < rest.size(); i += batch) {
      int index = waves.size();
      List<String> clusters = List.copyOf(rest.subList(i, Math.min(rest.size(), i + batch)));
      waves.add(new Plan.Wave(index, "batch-" + (i / batch + 1), clusters, soak));
    }
    return waves;
  }

  /** Nested values as sorted dotted keys ({@code persistence.size=10Gi}); lists by index. */
  static Map<String, String> flatten(Map<String, Object> values) {
    Map<String, String> out = new TreeMap<>();
    flatten("", values, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else {
      out.put(prefix, String.valueOf(value));
    }
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
