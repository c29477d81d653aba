package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stackpilot.planner.spec.RolloutGateFailure;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Planning is a pure function: dependency ranks, selected clusters in canary-first waves, stable
 * digests that change only where a cluster overrides values.
 */
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
    // storage (mimir, loki, tempo) at 0, alloy after storage at 1, grafana after alloy at 2
    assertThat(foundation)
        .extracting(Plan.Step::component, Plan.Step::order)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mimir", 0),
            org.assertj.core.groups.Tuple.tuple("loki", 0),
            org.assertj.core.groups.Tuple.tuple("tempo", 0),
            org.assertj.core.groups.Tuple.tuple("alloy", 1),
            org.assertj.core.groups.Tuple.tuple("grafana", 2));
    assertThat(foundation.get(4).dependsOn()).containsExactly("mimir", "loki", "tempo", "alloy");
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

  static final String ONE_COMPONENT =
      """
      apiVersion: stackpilot.io/v1alpha1
      kind: ObservabilityStack
      metadata: {name: s}
      spec:
        components:
          - name: loki
            type: loki
            namespace: n
            chart: {repository: r, name: loki, version: "1"}
            values: {loki: {auth_enabled: true, limits: {retention: 168h}}}
      ---
      """;

  Plan plan(String fleet) {
    SpecParser.Declared d = parser.parse(ONE_COMPONENT + fleet);
    new SpecValidator().validate(d);
    return planner.plan(d.stack(), d.fleet(), "r");
  }

  static String fleet(int clusters, String rest) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: stackpilot.io/v1alpha1
            kind: Fleet
            metadata: {name: f}
            spec:
              clusters:
            """);
    for (int i = 1; i <= clusters; i++) {
      String env = i % 3 == 0 ? "dev" : "prod";
      yaml.append("    - {name: c")
          .append(i)
          .append(", tenant: t, labels: {env: ")
          .append(env)
          .append(", ring: \"")
          .append(i % 2)
          .append("\"}}\n");
    }
    return yaml + rest;
  }

  @Test
  void aPercentageBatchRoundsUpOverTheSelectedClusters() {
    // 25% of 9 selected clusters is 2.25: batches of 3
    Plan plan =
        plan(fleet(9, "  rollout: {batchSize: 25%, maxUnavailable: 1, soakSeconds: 300}\n"));
    assertThat(plan.waves())
        .extracting(Plan.Wave::name, Plan.Wave::clusters)
        .containsExactly(
            tuple("batch-1", List.of("c1", "c2", "c3")),
            tuple("batch-2", List.of("c4", "c5", "c6")),
            tuple("batch-3", List.of("c7", "c8", "c9")));
    assertThat(plan.waves()).allSatisfy(w -> assertThat(w.soakSeconds()).isEqualTo(300));
    assertThat(plan.waves()).allSatisfy(w -> assertThat(w.maxUnavailable()).isEqualTo(1));
  }

  @Test
  void onlySelectedClustersAreRolledOutCanariesBySelectorFirst() {
    Plan plan =
        plan(
            fleet(
                7,
                """
                  selector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}
                  rollout:
                    canarySelector: {matchLabels: {ring: "0"}}
                    canary: [c5]
                    batchSize: 2
                """));
    // selected: c1 c2 c4 c5 c7; canaries: c5 (named), then c2 c4 (ring 0)
    assertThat(plan.waves())
        .extracting(Plan.Wave::name, Plan.Wave::clusters)
        .containsExactly(
            tuple("canary-1", List.of("c5", "c2")),
            tuple("canary-2", List.of("c4")),
            tuple("batch-1", List.of("c1", "c7")));
    assertThat(plan.steps()).extracting(Plan.Step::cluster).doesNotContain("c3", "c6");
    assertThat(plan.steps())
        .extracting(Plan.Step::stepId)
        .containsExactly("r/c5/loki", "r/c2/loki", "r/c4/loki", "r/c1/loki", "r/c7/loki");
  }

  @Test
  void anOverrideChangesOnlyThatClustersValuesAndDigest() {
    Plan plan =
        plan(
            """
            apiVersion: stackpilot.io/v1alpha1
            kind: Fleet
            metadata: {name: f}
            spec:
              clusters:
                - {name: a, tenant: a}
                - name: b
                  tenant: b
                  overrides:
                    loki: {values: {loki: {limits: {retention: 720h}}}}
                - {name: c, tenant: c}
            """);
    Map<String, Plan.Step> byCluster = new java.util.HashMap<>();
    plan.steps().forEach(s -> byCluster.put(s.cluster(), s));
    assertThat(byCluster.get("b").values())
        .containsEntry("loki.limits.retention", "720h")
        .containsEntry("loki.auth_enabled", "true");
    assertThat(byCluster.get("a").values()).containsEntry("loki.limits.retention", "168h");
    assertThat(byCluster.get("a").digest()).isEqualTo(byCluster.get("c").digest());
    assertThat(byCluster.get("b").digest()).isNotEqualTo(byCluster.get("a").digest());
  }

  @Test
  void theGateAndItsFailurePolicyTravelWithThePlan() {
    Plan plan =
        plan(
            fleet(
                2,
                "  rollout: {gates: {requireProbes: true, maxBurnRate: 1.0}, onGateFailure:"
                    + " rollback-wave}\n"));
    assertThat(plan.gate())
        .isEqualTo(new Plan.Gate(true, true, 1.0, RolloutGateFailure.ROLLBACK_WAVE));
    assertThat(plan(fleet(2, "")).gate()).isEqualTo(Plan.Gate.DEFAULT);
  }

  @Test
  void eachStepCarriesWhatTheApplierRendersFromAndItsDigestCoversIt() throws Exception {
    String example = Files.readString(Path.of("../../examples/lgtm-multicluster.yaml"));
    SpecParser.Declared flux = parser.parse(example);
    SpecParser.Declared argo =
        parser.parse(
            example.replaceFirst("spec:\n  components:", "spec:\n  driver: argocd\n  components:"));

    Plan.Step mimir = planner.plan(flux.stack(), flux.fleet(), "r").steps().get(0);
    Plan.Step mimirArgo = planner.plan(argo.stack(), argo.fleet(), "r").steps().get(0);

    assertThat(mimir.render().componentType()).isEqualTo("mimir");
    assertThat(mimir.render().driver()).isEqualTo(io.stackpilot.planner.spec.RenderDriver.FLUX);
    assertThat(mimirArgo.render().driver())
        .isEqualTo(io.stackpilot.planner.spec.RenderDriver.ARGOCD);
    assertThat(mimirArgo.digest()).isNotEqualTo(mimir.digest());
    // typed settings travel as JSON (keys sorted); a component without any has none
    Plan.Step grafana =
        planner.plan(flux.stack(), flux.fleet(), "r").steps().stream()
            .filter(s -> s.component().equals("grafana"))
            .findFirst()
            .orElseThrow();
    assertThat(mimir.render().componentSpec()).isNull();
    assertThat(grafana.render().componentSpec()).isNull();
    SpecParser.Declared seed0 =
        parser.parse(Files.readString(Path.of("../../examples/seed-000-lgtm-ansible.yaml")));
    assertThat(planner.plan(seed0.stack(), seed0.fleet(), "r").steps())
        .extracting(s -> s.render().componentSpec())
        .contains("{\"storage\":{\"size\":\"50Gi\",\"storageClass\":\"lg-hdd-raw-x1-delete\"}}");
  }

  @Test
  void anUnknownDriverIsNamedWithItsPath() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    apiVersion: stackpilot.io/v1alpha1
                    kind: ObservabilityStack
                    metadata: {name: s}
                    spec:
                      components:
                        - name: loki
                          type: loki
                          namespace: logs
                          driver: helmfile
                          chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.46.0}
                    ---
                    apiVersion: stackpilot.io/v1alpha1
                    kind: Fleet
                    metadata: {name: f}
                    spec:
                      clusters: [{name: a, tenant: a}]
                    """))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("stack.spec.components[0].driver")
        .hasMessageContaining("flux, argocd, manifests");
  }
}
