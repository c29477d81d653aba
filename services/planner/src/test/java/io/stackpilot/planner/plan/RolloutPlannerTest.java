package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning is a pure function: dependency ranks, canary-first waves, stable digests. */
class RolloutPlannerTest {
  final SpecParser parser = new SpecParser();
  final RolloutPlanner planner = new RolloutPlanner();

  @Test
  void theSeedStackPlansCanaryFirstThenOneBatch() throws Exception {
    SpecParser.Declared d =
        parser.parse(Files.readString(Path.of("../../examples/lgtm-multicluster.yaml")));

    Plan plan = planner.plan(d.stack(), d.fleet(), "r1");

    assertThat(plan.waves())
        .extracting(Plan.Wave::name, Plan.Wave::clusters)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("canary", List.of("foundation")),
            org.assertj.core.groups.Tuple.tuple("batch-1", List.of("cryptellation", "perso")));
    assertThat(plan.steps()).hasSize(15);
    List<Plan.Step> foundation =
        plan.steps().stream().filter(s -> s.cluster().equals("foundation")).toList();
    assertThat(foundation).extracting(Plan.Step::order).isSorted();
    assertThat(foundation)
        .filteredOn(s -> s.component().equals("grafana"))
        .singleElement()
        .satisfies(s -> assertThat(s.order()).isEqualTo(1));
    assertThat(foundation.get(0).values())
        .containsKey("mimir.structuredConfig.tenant_federation.enabled");
  }

  @Test
  void samePlanTwiceGivesTheSameDigests() throws Exception {
    SpecParser.Declared d =
        parser.parse(Files.readString(Path.of("../../examples/lgtm-multicluster.yaml")));
    assertThat(planner.plan(d.stack(), d.fleet(), "a").steps())
        .extracting(Plan.Step::digest)
        .isEqualTo(
            planner.plan(d.stack(), d.fleet(), "b").steps().stream()
                .map(Plan.Step::digest)
                .toList());
  }

  @Test
  void aDependencyCycleIsRefusedWithThePath() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components:
            - {name: a, type: other, namespace: n, chart: {repository: r, name: a, version: "1"}, dependsOn: [b]}
            - {name: b, type: other, namespace: n, chart: {repository: r, name: b, version: "1"}, dependsOn: [a]}
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: f}
        spec:
          clusters: [{name: c1, tenant: t1}]
        """;
    SpecParser.Declared d = parser.parse(yaml);
    assertThatThrownBy(() -> planner.plan(d.stack(), d.fleet(), "r"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("dependency cycle: a -> b -> a");
  }

  @Test
  void batchesSplitTheNonCanaryClusters() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components: [{name: a, type: other, namespace: n, chart: {repository: r, name: a, version: "1"}}]
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: f}
        spec:
          clusters: [{name: c1, tenant: t}, {name: c2, tenant: t}, {name: c3, tenant: t}, {name: c4, tenant: t}]
          rollout: {canary: [c2], batchSize: 2}
        """;
    SpecParser.Declared d = parser.parse(yaml);
    assertThat(planner.plan(d.stack(), d.fleet(), "r").waves())
        .extracting(Plan.Wave::clusters)
        .containsExactly(List.of("c2"), List.of("c1", "c3"), List.of("c4"));
  }
}
