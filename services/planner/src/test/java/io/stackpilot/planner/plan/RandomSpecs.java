package io.stackpilot.planner.plan;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.FleetOverride;
import io.stackpilot.planner.spec.FleetSelector;
import io.stackpilot.planner.spec.FleetSelectorMatcher;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.RolloutGates;
import io.stackpilot.planner.spec.RolloutQuantity;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.StackSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random stacks and fleets for the planner's properties. Fleets are valid by construction (every
 * selector selects a cluster, canaries are selected, maxUnavailable fits the batch), and acyclic
 * stacks declare dependsOn only towards components that cannot depend on them.
 */
final class RandomSpecs {
  static final Map<String, List<String>> LABELS =
      Map.of(
          "env", List.of("prod", "staging", "dev"),
          "region", List.of("eu", "us"),
          "ring", List.of("0", "1", "2"),
          "zone", List.of("a", "b")); // no cluster has a zone: selectors on a missing label
  static final List<String> KEYS = List.of("env", "region", "ring", "zone");
  static final Set<ComponentType> STORAGE =
      EnumSet.of(
          ComponentType.LOKI,
          ComponentType.TEMPO,
          ComponentType.MIMIR,
          ComponentType.THANOS,
          ComponentType.PYROSCOPE);

  private RandomSpecs() {}

  /** A stack and a fleet, as the validator and planner take them. */
  record Input(StackSpec stack, FleetSpec fleet) {
    SpecParser.Declared declared() {
      return new SpecParser.Declared(stack, fleet, "", "");
    }
  }

  /** The specification of the implicit tiers, written out independently of DependencyGraph. */
  static boolean implied(ComponentType from, ComponentType to) {
    return switch (from) {
      case SLOTH, BLACKBOX_EXPORTER -> to == ComponentType.KUBE_PROMETHEUS_STACK;
      case ALLOY -> STORAGE.contains(to);
      case GRAFANA -> STORAGE.contains(to) || to == ComponentType.ALLOY;
      default -> false;
    };
  }

  static Arbitrary<Input> inputs() {
    return acyclicStacks().flatMap(stack -> fleets(stack).map(fleet -> new Input(stack, fleet)));
  }

  // --- stacks

  /** A component type; NTFY and OTHER, which have no tier, get a random one. */
  record Slot(ComponentType type, int freeTier) {
    int tier() {
      return switch (type) {
        case KUBE_PROMETHEUS_STACK, LOKI, TEMPO, MIMIR, THANOS, PYROSCOPE -> 0;
        case ALLOY, SLOTH, BLACKBOX_EXPORTER -> 1;
        case GRAFANA -> 2;
        case NTFY, OTHER -> freeTier;
      };
    }
  }

  static Arbitrary<List<Slot>> slots(int max) {
    return Combinators.combine(
            Arbitraries.of(ComponentType.class), Arbitraries.integers().between(0, 3))
        .as(Slot::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(max);
  }

  /**
   * Components sorted by tier may depend only on earlier ones: every implied edge also points
   * backwards, so the graph is acyclic. The declaration order is then shuffled.
   */
  static Arbitrary<StackSpec> acyclicStacks() {
    return slots(9)
        .flatMap(
            drawn -> {
              List<Slot> sorted = new ArrayList<>(drawn);
              sorted.sort(Comparator.comparingInt(Slot::tier));
              int n = sorted.size();
              List<Arbitrary<List<Integer>>> deps = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                deps.add(
                    i == 0
                        ? Arbitraries.just(List.of())
                        : Arbitraries.integers()
                            .between(0, i - 1)
                            .list()
                            .uniqueElements()
                            .ofMaxSize(Math.min(3, i)));
              }
              List<Integer> positions = IntStream.range(0, n).boxed().toList();
              return Combinators.combine(
                      Combinators.combine(deps).as(l -> l), Arbitraries.shuffle(positions))
                  .as((d, order) -> stack(sorted, d, order));
            });
  }

  /** Any dependsOn between components, a component itself included: cycles are likely. */
  static Arbitrary<StackSpec> anyStacks() {
    return slots(7)
        .flatMap(
            drawn -> {
              int n = drawn.size();
              Arbitrary<List<Integer>> one =
                  Arbitraries.integers().between(0, n - 1).list().uniqueElements().ofMaxSize(2);
              return Combinators.combine(java.util.Collections.nCopies(n, one))
                  .as(d -> stack(drawn, d, IntStream.range(0, n).boxed().toList()));
            });
  }

  private static StackSpec stack(List<Slot> slots, List<List<Integer>> deps, List<Integer> order) {
    List<String> names =
        IntStream.range(0, slots.size())
            .mapToObj(i -> slots.get(i).type().yamlName() + "-" + i)
            .toList();
    List<StackSpec.Component> components = new ArrayList<>();
    for (int position : order) {
      List<String> dependsOn = deps.get(position).stream().map(names::get).toList();
      components.add(
          new StackSpec.Component(
              names.get(position),
              slots.get(position).type(),
              "monitoring",
              new StackSpec.Chart("https://charts.example", names.get(position), "1.0.0"),
              dependsOn.isEmpty() ? null : dependsOn,
              Map.of("replicas", position % 3 + 1)));
    }
    return new StackSpec(
        "stackpilot.io/v1alpha1",
        "ObservabilityStack",
        new StackSpec.Metadata("s"),
        new StackSpec.Spec(components));
  }

  // --- fleets

  /** A cluster's labels, and which component it overrides (none when negative). */
  record ClusterDraft(Map<String, String> labels, int override) {}

  static Arbitrary<FleetSpec> fleets(StackSpec stack) {
    List<StackSpec.Component> components = stack.spec().components();
    Arbitrary<Map<String, String>> labels =
        Combinators.combine(
                Arbitraries.of(LABELS.get("env")).injectNull(0.2),
                Arbitraries.of(LABELS.get("region")).injectNull(0.3),
                Arbitraries.of(LABELS.get("ring")))
            .as(
                (env, region, ring) -> {
                  Map<String, String> m = new LinkedHashMap<>();
                  if (env != null) {
                    m.put("env", env);
                  }
                  if (region != null) {
                    m.put("region", region);
                  }
                  m.put("ring", ring);
                  return m;
                });
    Arbitrary<Integer> override =
        Arbitraries.integers().between(-2 * components.size(), components.size() - 1);
    return Combinators.combine(labels, override)
        .as(ClusterDraft::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(10)
        .map(drafts -> clusters(drafts, components))
        .flatMap(
            clusters ->
                selectors(clusters)
                    .flatMap(
                        selector ->
                            rollouts(FleetSelectorMatcher.select(selector, clusters))
                                .map(
                                    rollout ->
                                        new FleetSpec(
                                            "stackpilot.io/v1alpha1",
                                            "Fleet",
                                            new FleetSpec.Metadata("f"),
                                            new FleetSpec.Spec(clusters, selector, rollout)))));
  }

  private static List<FleetSpec.Cluster> clusters(
      List<ClusterDraft> drafts, List<StackSpec.Component> components) {
    List<FleetSpec.Cluster> clusters = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      String name = "k" + i;
      ClusterDraft d = drafts.get(i);
      Map<String, FleetOverride> overrides =
          d.override() < 0
              ? null
              : Map.of(
                  components.get(d.override()).name(),
                  new FleetOverride(Map.of("cluster", Map.of("name", name))));
      clusters.add(new FleetSpec.Cluster(name, name, "t" + i, d.labels(), overrides));
    }
    return clusters;
  }

  /** A requirement to build: key, operator and extra values, by index. */
  record RequirementDraft(int key, int operator, int extra) {}

  /** Selectors built to hold for one witness cluster, so they never select nothing. */
  static Arbitrary<FleetSelector> selectors(List<FleetSpec.Cluster> clusters) {
    Arbitrary<RequirementDraft> requirement =
        Combinators.combine(
                Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 2))
            .as(RequirementDraft::new);
    return Combinators.combine(
            Arbitraries.integers().between(0, clusters.size() - 1),
            requirement.list().ofMaxSize(3),
            Arbitraries.of(true, false))
        .as((w, drafts, byRing) -> selectorFor(clusters.get(w).labels(), drafts, byRing))
        .injectNull(0.25);
  }

  private static FleetSelector selectorFor(
      Map<String, String> witness, List<RequirementDraft> drafts, boolean byRing) {
    List<FleetSelector.Requirement> expressions = new ArrayList<>();
    for (RequirementDraft d : drafts) {
      String key = KEYS.get(d.key());
      String value = witness.get(key);
      List<String> others = new ArrayList<>(LABELS.get(key));
      others.remove(value);
      FleetSelector.Requirement r =
          switch (d.operator()) {
            case 0 ->
                value == null
                    ? new FleetSelector.Requirement(key, "DoesNotExist", null)
                    : new FleetSelector.Requirement(
                        key, "In", d.extra() == 0 ? List.of(value) : List.of(others.get(0), value));
            case 1 ->
                new FleetSelector.Requirement(
                    key, "NotIn", others.subList(0, 1 + d.extra() % others.size()));
            default ->
                new FleetSelector.Requirement(key, value == null ? "DoesNotExist" : "Exists", null);
          };
      expressions.add(r);
    }
    return new FleetSelector(byRing ? Map.of("ring", witness.get("ring")) : null, expressions);
  }

  /** A strategy over the selected clusters: canaries among them, maxUnavailable within a batch. */
  static Arbitrary<FleetSpec.Rollout> rollouts(List<FleetSpec.Cluster> selected) {
    int n = selected.size();
    Arbitrary<List<String>> canary =
        Arbitraries.integers()
            .between(0, n - 1)
            .list()
            .uniqueElements()
            .ofMaxSize(Math.min(3, n))
            .map(ix -> ix.stream().map(i -> selected.get(i).name()).toList());
    Arbitrary<FleetSelector> canarySelector =
        Arbitraries.integers()
            .between(0, n - 1)
            .map(i -> new FleetSelector(Map.of("ring", selected.get(i).labels().get("ring")), null))
            .injectNull(0.6);
    Arbitrary<RolloutQuantity> batch =
        Arbitraries.oneOf(
                Arbitraries.integers().between(1, n + 2).map(RolloutQuantity::ofCount),
                Arbitraries.integers().between(1, 100).map(RolloutQuantity::ofPercent))
            .injectNull(0.2);
    Arbitrary<RolloutGates> gates =
        Combinators.combine(
                Arbitraries.of(true, false).injectNull(0.3),
                Arbitraries.of(true, false).injectNull(0.3),
                Arbitraries.doubles().between(0.1, 14.4).injectNull(0.5))
            .as(RolloutGates::new)
            .injectNull(0.3);
    return Combinators.combine(
            canary,
            canarySelector,
            batch,
            Arbitraries.integers().between(0, 100),
            Arbitraries.integers().between(0, 3600),
            gates,
            Arbitraries.of("halt", "rollback-wave").injectNull(0.3))
        .as(
            (names, canarySel, batchSize, pick, soak, gate, policy) ->
                new FleetSpec.Rollout(
                    names,
                    canarySel,
                    batchSize,
                    maxUnavailable(batchSize, pick, n),
                    soak,
                    gate,
                    policy,
                    null,
                    null))
        .injectNull(0.1);
  }

  private static RolloutQuantity maxUnavailable(RolloutQuantity batch, int pick, int n) {
    int batchSize = batch == null ? n : batch.resolve(n, true);
    if (pick < 25) {
      return null;
    }
    RolloutQuantity percent = RolloutQuantity.ofPercent(pick);
    if (pick % 2 == 0 && percent.resolve(n, false) <= batchSize) {
      return percent;
    }
    return RolloutQuantity.ofCount(1 + pick % batchSize);
  }
}
