package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.StackSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each component of a stack must wait for on a cluster: the edges implied by the components'
 * types (see DESIGN.md) plus the declared {@code dependsOn}. Acyclic by construction: a cycle is
 * refused with the field that declared it and the cycle's path. A component's rank is its longest
 * path from a component that depends on nothing.
 */
public final class DependencyGraph {
  private static final Set<ComponentType> STORAGE =
      EnumSet.of(
          ComponentType.LOKI,
          ComponentType.TEMPO,
          ComponentType.MIMIR,
          ComponentType.THANOS,
          ComponentType.PYROSCOPE);

  /** Why {@code from} waits for {@code to}; {@code declared} edges come from dependsOn. */
  public record Edge(String from, String to, boolean declared, String why) {}

  private final List<StackSpec.Component> components;
  private final Map<String, Integer> index;
  private final Map<String, List<Edge>> edges;
  private final Map<String, Integer> ranks;

  private DependencyGraph(List<StackSpec.Component> components) {
    this.components = List.copyOf(components);
    this.index = new LinkedHashMap<>();
    for (int i = 0; i < components.size(); i++) {
      index.put(components.get(i).name(), i);
    }
    this.edges = edges(components, index);
    new CycleCheck().run();
    this.ranks = new HashMap<>();
    components.forEach(c -> computeRank(c.name()));
  }

  /** Builds the graph of a stack's components; a cycle or an unknown dependsOn is refused. */
  public static DependencyGraph of(List<StackSpec.Component> components) {
    return new DependencyGraph(components);
  }

  /** The types a component of this type waits for whenever the stack has them. */
  public static Set<ComponentType> implicitDependencies(ComponentType type) {
    if (type == null) {
      return Set.of();
    }
    return switch (type) {
      case SLOTH, BLACKBOX_EXPORTER -> EnumSet.of(ComponentType.KUBE_PROMETHEUS_STACK);
      case ALLOY -> EnumSet.copyOf(STORAGE);
      case GRAFANA -> {
        EnumSet<ComponentType> deps = EnumSet.copyOf(STORAGE);
        deps.add(ComponentType.ALLOY);
        yield deps;
      }
      default -> EnumSet.noneOf(ComponentType.class);
    };
  }

  /** The direct dependencies of a component: declared first, then implied, without repeats. */
  public List<Edge> edgesOf(String component) {
    return edges.getOrDefault(component, List.of());
  }

  /** The names a component directly depends on, declared first, then implied. */
  public List<String> dependenciesOf(String component) {
    return edgesOf(component).stream().map(Edge::to).toList();
  }

  /** 0 for a component that depends on nothing, else one more than its highest dependency. */
  public int rank(String component) {
    Integer rank = ranks.get(component);
    if (rank == null) {
      throw new IllegalArgumentException("no component named '" + component + "'");
    }
    return rank;
  }

  private int computeRank(String component) {
    Integer known = ranks.get(component);
    if (known != null) {
      return known;
    }
    int rank = 0;
    for (Edge e : edgesOf(component)) {
      rank = Math.max(rank, computeRank(e.to()) + 1);
    }
    ranks.put(component, rank);
    return rank;
  }

  /** The components by rank, and within a rank in the stack's order. */
  public List<StackSpec.Component> inOrder() {
    List<StackSpec.Component> ordered = new ArrayList<>(components);
    ordered.sort((a, b) -> Integer.compare(rank(a.name()), rank(b.name())));
    return ordered;
  }

  private static Map<String, List<Edge>> edges(
      List<StackSpec.Component> components, Map<String, Integer> index) {
    Map<String, List<Edge>> edges = new LinkedHashMap<>();
    for (int i = 0; i < components.size(); i++) {
      StackSpec.Component c = components.get(i);
      Map<String, Edge> out = new LinkedHashMap<>();
      List<String> deps = c.dependsOnOrEmpty();
      for (int d = 0; d < deps.size(); d++) {
        String dep = deps.get(d);
        if (!index.containsKey(dep)) {
          throw SpecException.of(
              "stack.spec.components[" + i + "].dependsOn[" + d + "]",
              "no component named '" + dep + "'");
        }
        out.putIfAbsent(dep, new Edge(c.name(), dep, true, "declared in dependsOn"));
      }
      Set<ComponentType> implied = implicitDependencies(c.type());
      for (StackSpec.Component other : components) {
        if (other != c && implied.contains(other.type())) {
          out.putIfAbsent(
              other.name(), new Edge(c.name(), other.name(), false, reason(c.type(), other)));
        }
      }
      edges.put(c.name(), List.copyOf(out.values()));
    }
    return edges;
  }

  private static String reason(ComponentType from, StackSpec.Component to) {
    if (to.type() == ComponentType.KUBE_PROMETHEUS_STACK) {
      return "its objects need the Prometheus Operator CRDs of " + to.type().yamlName();
    }
    if (from == ComponentType.GRAFANA && to.type() == ComponentType.ALLOY) {
      return "collectors before grafana";
    }
    return "storage backends before " + (from == ComponentType.ALLOY ? "collectors" : "grafana");
  }

  /** Depth-first search in the stack's order; the first back edge found is the cycle reported. */
  private final class CycleCheck {
    private final Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    private final List<String> path = new ArrayList<>();

    void run() {
      for (StackSpec.Component c : components) {
        visit(c.name());
      }
    }

    private void visit(String name) {
      Integer s = state.get(name);
      if (s != null && s == 2) {
        return;
      }
      if (s != null) {
        refuse(new ArrayList<>(path.subList(path.indexOf(name), path.size())));
      }
      state.put(name, 1);
      path.add(name);
      for (Edge e : edgesOf(name)) {
        visit(e.to());
      }
      path.remove(path.size() - 1);
      state.put(name, 2);
    }

    /**
     * Names the cycle from the first component (in the stack's order) whose declared dependsOn is
     * part of it: the implied edges alone are acyclic, so there is one.
     */
    private void refuse(List<String> cycle) {
      int start = -1;
      for (int i = 0; i < cycle.size(); i++) {
        Edge e = edge(cycle.get(i), cycle.get((i + 1) % cycle.size()));
        if (e.declared() && (start < 0 || index.get(e.from()) < index.get(cycle.get(start)))) {
          start = i;
        }
      }
      Collections.rotate(cycle, -start);
      List<String> implied = new ArrayList<>();
      for (int i = 0; i < cycle.size(); i++) {
        Edge e = edge(cycle.get(i), cycle.get((i + 1) % cycle.size()));
        if (!e.declared()) {
          implied.add(e.from() + " -> " + e.to() + " (" + e.why() + ")");
        }
      }
      String message = "dependency cycle: " + String.join(" -> ", cycle) + " -> " + cycle.get(0);
      if (!implied.isEmpty()) {
        message += "; implied by the component types: " + String.join(", ", implied);
      }
      throw SpecException.of(
          "stack.spec.components[" + index.get(cycle.get(0)) + "].dependsOn", message);
    }

    private Edge edge(String from, String to) {
      return edgesOf(from).stream().filter(e -> e.to().equals(to)).findFirst().orElseThrow();
    }
  }
}
