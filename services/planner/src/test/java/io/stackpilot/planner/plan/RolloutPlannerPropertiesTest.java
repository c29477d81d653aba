package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.planner.plan.RandomSpecs.Input;
import io.stackpilot.planner.spec.FleetSelectorMatcher;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.RolloutQuantity;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.SpecValidator;
import io.stackpilot.planner.spec.StackSpec;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Properties of planning over random stacks (random component types and acyclic dependsOn) and
 * random fleets (labels, selectors, canaries, batch sizes, gates): dependency order on every
 * cluster, each selected cluster in exactly one wave with canaries first, no wave over the batch
 * size, and determinism. Random dependsOn with cycles is refused naming a real cycle.
 */
@StatisticsReport(onFailureOnly = true)
class RolloutPlannerPropertiesTest {
  private static final Pattern CYCLE = Pattern.compile("dependency cycle: ([^;]+)");

  final RolloutPlanner planner = new RolloutPlanner();
  final SpecValidator validator = new SpecValidator();

  @Provide
  Arbitrary<Input> inputs() {
    return RandomSpecs.inputs();
  }

  @Provide
  Arbitrary<StackSpec> anyStacks() {
    return RandomSpecs.anyStacks();
  }

  Plan plan(Input in) {
    validator.validate(in.declared()); // the generators make valid specs only
    return planner.plan(in.stack(), in.fleet(), "r");
  }

  @Property(tries = 300)
  void onEveryClusterAStepComesAfterEverythingItDependsOn(@ForAll("inputs") Input in) {
    Plan plan = plan(in);
    Map<String, Map<String, Set<String>>> edges = edges(in.stack());
    Set<String> names = edges.get("all").keySet();
    Map<String, Map<String, Plan.Step>> byCluster = new HashMap<>();
    for (Plan.Step s : plan.steps()) {
      byCluster.computeIfAbsent(s.cluster(), k -> new HashMap<>()).put(s.component(), s);
    }
    byCluster.forEach(
        (cluster, steps) -> {
          assertThat(steps.keySet()).isEqualTo(names);
          for (Plan.Step s : steps.values()) {
            for (String dep : edges.get("all").get(s.component())) {
              assertThat(steps.get(dep).order())
                  .as("%s on %s after %s", s.component(), cluster, dep)
                  .isLessThan(s.order());
            }
          }
          List<Integer> listed =
              plan.steps().stream()
                  .filter(s -> s.cluster().equals(cluster))
                  .map(Plan.Step::order)
                  .toList();
          assertThat(listed).isSorted();
        });
  }

  @Property(tries = 300)
  void everySelectedClusterIsInExactlyOneWaveAndCanariesComeFirst(@ForAll("inputs") Input in) {
    Plan plan = plan(in);
    FleetSpec.Spec spec = in.fleet().spec();
    List<String> selected =
        FleetSelectorMatcher.select(spec.selector(), spec.clusters()).stream()
            .map(FleetSpec.Cluster::name)
            .toList();
    Set<String> canaries = canaries(spec, selected);
    List<String> inWaves = plan.waves().stream().flatMap(w -> w.clusters().stream()).toList();
    assertThat(inWaves).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(selected);

    boolean pastCanaries = false;
    for (int i = 0; i < plan.waves().size(); i++) {
      Plan.Wave wave = plan.waves().get(i);
      assertThat(wave.index()).isEqualTo(i);
      boolean allCanary = canaries.containsAll(wave.clusters());
      assertThat(allCanary || Collections.disjoint(canaries, wave.clusters()))
          .as("wave %s mixes canaries and others", wave.name())
          .isTrue();
      assertThat(allCanary && pastCanaries).as("canary wave after a batch").isFalse();
      pastCanaries |= !allCanary;
    }
    for (Plan.Step s : plan.steps()) {
      assertThat(plan.waves().get(s.waveIndex()).clusters()).contains(s.cluster());
      assertThat(s.stepId()).isEqualTo("r/" + s.cluster() + "/" + s.component());
    }
    long canaryWaves = plan.waves().stream().filter(w -> w.name().startsWith("canary")).count();
    Statistics.label("canary waves")
        .collect(canaryWaves == 0 ? "none" : canaryWaves == 1 ? "one" : "several");
    Statistics.label("canary waves")
        .coverage(
            c -> {
              c.check("none").percentage(p -> p > 5);
              c.check("one").percentage(p -> p > 5);
              c.check("several").percentage(p -> p > 1);
            });
  }

  @Property(tries = 300)
  void noWaveExceedsTheBatchSize(@ForAll("inputs") Input in) {
    Plan plan = plan(in);
    FleetSpec.Spec spec = in.fleet().spec();
    int selected = FleetSelectorMatcher.select(spec.selector(), spec.clusters()).size();
    FleetSpec.Rollout rollout = spec.rollout();
    int batch = batchSize(rollout == null ? null : rollout.batchSize(), selected);
    int soak = rollout == null || rollout.soakSeconds() == null ? 0 : rollout.soakSeconds();
    for (Plan.Wave w : plan.waves()) {
      assertThat(w.clusters()).isNotEmpty().hasSizeLessThanOrEqualTo(batch);
      assertThat(w.maxUnavailable()).isBetween(1, w.clusters().size());
      assertThat(w.soakSeconds()).isEqualTo(soak);
    }
    Statistics.label("batch size").collect(batch >= selected ? "all" : "part");
    Statistics.label("batch size").coverage(c -> c.check("part").percentage(p -> p > 10));
  }

  @Property(tries = 200)
  void planningIsDeterministic(@ForAll("inputs") Input in) {
    assertThat(new RolloutPlanner().plan(in.stack(), in.fleet(), "r")).isEqualTo(plan(in));
  }

  @Property(tries = 200)
  void anOverrideChangesTheDigestOfItsClusterOnly(@ForAll("inputs") Input in) {
    Plan plan = plan(in);
    Map<String, FleetSpec.Cluster> clusters = new HashMap<>();
    in.fleet().spec().clusters().forEach(c -> clusters.put(c.name(), c));
    Map<String, Set<String>> plainDigests = new HashMap<>();
    Map<String, Set<String>> overriddenDigests = new HashMap<>();
    for (Plan.Step s : plan.steps()) {
      boolean overridden = clusters.get(s.cluster()).overridesOrEmpty().containsKey(s.component());
      (overridden ? overriddenDigests : plainDigests)
          .computeIfAbsent(s.component(), k -> new HashSet<>())
          .add(s.digest());
    }
    plainDigests.values().forEach(d -> assertThat(d).hasSize(1));
    overriddenDigests.forEach(
        (component, digests) -> {
          Set<String> plain = plainDigests.getOrDefault(component, Set.of());
          assertThat(digests).allSatisfy(d -> assertThat(plain).doesNotContain(d));
        });
  }

  @Property(tries = 500)
  void randomDependsOnIsRefusedNamingARealCycleOrPlannedInOrder(
      @ForAll("anyStacks") StackSpec stack) {
    FleetSpec fleet =
        new FleetSpec(
            "stackpilot.io/v1alpha1",
            "Fleet",
            new FleetSpec.Metadata("f"),
            new FleetSpec.Spec(
                List.of(new FleetSpec.Cluster("c", "c", "t", null, null)), null, null));
    Map<String, Map<String, Set<String>>> edges = edges(stack);
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("cycle").percentage(p -> p > 5);
              c.check("acyclic").percentage(p -> p > 5);
            });
    Plan plan;
    try {
      plan = planner.plan(stack, fleet, "r");
    } catch (SpecException e) {
      Statistics.label("outcome").collect("cycle");
      assertIsACycle(e, stack, edges);
      return;
    }
    Statistics.label("outcome").collect("acyclic");
    Map<String, Integer> order =
        plan.steps().stream().collect(Collectors.toMap(Plan.Step::component, Plan.Step::order));
    edges
        .get("all")
        .forEach(
            (from, tos) ->
                tos.forEach(to -> assertThat(order.get(to)).isLessThan(order.get(from))));
  }

  private static void assertIsACycle(
      SpecException e, StackSpec stack, Map<String, Map<String, Set<String>>> edges) {
    assertThat(e.violations()).hasSize(1);
    SpecException.Violation v = e.violations().get(0);
    Matcher m = CYCLE.matcher(v.message());
    assertThat(m.find()).as(v.message()).isTrue();
    List<String> path = List.of(m.group(1).strip().split(" -> "));
    assertThat(path.size()).isGreaterThanOrEqualTo(2);
    assertThat(path.get(0)).isEqualTo(path.get(path.size() - 1));
    boolean anyDeclared = false;
    for (int i = 0; i + 1 < path.size(); i++) {
      assertThat(edges.get("all").get(path.get(i))).as(v.message()).contains(path.get(i + 1));
      anyDeclared |= edges.get("declared").get(path.get(i)).contains(path.get(i + 1));
    }
    assertThat(anyDeclared).as("a cycle needs a declared edge: " + v.message()).isTrue();
    List<String> names = stack.spec().components().stream().map(StackSpec.Component::name).toList();
    assertThat(v.field())
        .isEqualTo("stack.spec.components[" + names.indexOf(path.get(0)) + "].dependsOn");
  }

  /** "declared" and "all" (declared plus implied by type) dependencies, by component. */
  static Map<String, Map<String, Set<String>>> edges(StackSpec stack) {
    Map<String, Set<String>> declared = new HashMap<>();
    Map<String, Set<String>> all = new HashMap<>();
    List<StackSpec.Component> components = stack.spec().components();
    for (StackSpec.Component c : components) {
      declared.put(c.name(), new HashSet<>(c.dependsOnOrEmpty()));
      Set<String> deps = new HashSet<>(c.dependsOnOrEmpty());
      for (StackSpec.Component other : components) {
        if (RandomSpecs.implied(c.type(), other.type())) {
          deps.add(other.name());
        }
      }
      all.put(c.name(), deps);
    }
    return Map.of("declared", declared, "all", all);
  }

  static Set<String> canaries(FleetSpec.Spec spec, List<String> selected) {
    Set<String> out = new LinkedHashSet<>();
    FleetSpec.Rollout rollout = spec.rollout();
    if (rollout == null) {
      return out;
    }
    rollout.canaryOrEmpty().stream().filter(selected::contains).forEach(out::add);
    if (rollout.canarySelector() != null) {
      for (FleetSpec.Cluster c : spec.clusters()) {
        if (selected.contains(c.name())
            && FleetSelectorMatcher.matches(rollout.canarySelector(), c.labelsOrEmpty())) {
          out.add(c.name());
        }
      }
    }
    return out;
  }

  /** The batch size as the spec defines it: a count, or a percentage of selected rounded up. */
  static int batchSize(RolloutQuantity q, int selected) {
    if (q == null) {
      return selected;
    }
    if (q.count() != null) {
      return q.count();
    }
    return Math.max(1, (int) Math.ceil(q.percent() * selected / 100.0));
  }
}
