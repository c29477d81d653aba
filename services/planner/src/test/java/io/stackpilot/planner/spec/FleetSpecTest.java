package io.stackpilot.planner.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.events.DriftMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fleet document: its YAML shape, label selectors, quantities, and every violation's path. */
class FleetSpecTest {
  static final String STACK =
      """
      apiVersion: stackpilot.io/v1alpha1
      kind: ObservabilityStack
      metadata: {name: s}
      spec:
        components:
          - {name: loki, type: loki, namespace: n, chart: {repository: r, name: loki, version: "1"}}
      ---
      """;

  static final String FULL_FLEET =
      """
      apiVersion: stackpilot.io/v1alpha1
      kind: Fleet
      metadata: {name: homelab}
      spec:
        selector:
          matchLabels: {managed: "true"}
          matchExpressions:
            - {key: env, operator: In, values: [prod, staging]}
            - {key: decommissioned, operator: DoesNotExist}
        clusters:
          - name: foundation
            context: foundation
            tenant: foundation
            labels: {managed: "true", env: prod, role: hub}
            overrides:
              loki:
                values:
                  singleBinary: {replicas: 3}
          - {name: cryptellation, tenant: cryptellation, labels: {managed: "true", env: prod}}
          - {name: perso, tenant: perso, labels: {managed: "true", env: staging}}
          - {name: lab, tenant: lab, labels: {managed: "true", env: dev}}
        rollout:
          canary: [foundation]
          canarySelector: {matchLabels: {env: staging}}
          batchSize: 50%
          maxUnavailable: 1
          soakSeconds: 600
          gates: {requireHealthy: true, requireProbes: true, maxBurnRate: 1.0}
          onGateFailure: rollback-wave
      """;

  final SpecParser parser = new SpecParser();
  final SpecValidator validator = new SpecValidator();

  SpecParser.Declared declared(String fleet) {
    return parser.parse(STACK + fleet);
  }

  List<String> violations(String fleet) {
    try {
      validator.validate(declared(fleet));
      return List.of();
    } catch (SpecException e) {
      return e.violations().stream().map(v -> v.field() + ": " + v.message()).toList();
    }
  }

  static String fleet(String selector, String rollout) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: f}
        spec:
          clusters:
            - {name: a, tenant: a, labels: {env: prod, region: eu}}
            - {name: b, tenant: b, labels: {env: prod, region: us}}
            - {name: c, tenant: c, labels: {env: dev}}
        """
        + (selector == null ? "" : "  selector: " + selector + "\n")
        + (rollout == null ? "" : "  rollout: " + rollout + "\n");
  }

  @Test
  void theFullShapeParsesAndValidates() {
    SpecParser.Declared d = declared(FULL_FLEET);
    validator.validate(d);
    FleetSpec.Spec spec = d.fleet().spec();
    assertThat(spec.selector().matchExpressions()).hasSize(2);
    assertThat(spec.clusters().get(0).overrides().get("loki").values())
        .isEqualTo(Map.of("singleBinary", Map.of("replicas", 3)));
    FleetSpec.Rollout r = spec.rollout();
    assertThat(r.batchSize()).isEqualTo(RolloutQuantity.ofPercent(50));
    assertThat(r.maxUnavailable()).isEqualTo(RolloutQuantity.ofCount(1));
    assertThat(r.gates()).isEqualTo(new RolloutGates(true, true, 1.0));
    assertThat(r.gateFailure()).isEqualTo(RolloutGateFailure.ROLLBACK_WAVE);

    RolloutTargets t = RolloutTargets.of(d.fleet());
    assertThat(t.selected())
        .extracting(FleetSpec.Cluster::name)
        .containsExactly("foundation", "cryptellation", "perso");
    assertThat(t.canaries())
        .extracting(FleetSpec.Cluster::name)
        .containsExactly("foundation", "perso");
    assertThat(t.batched()).extracting(FleetSpec.Cluster::name).containsExactly("cryptellation");
    assertThat(t.batchSize()).isEqualTo(2); // 50% of 3, rounded up
    assertThat(t.maxUnavailable()).isEqualTo(1);
  }

  @Test
  void theWalkingSkeletonShapeStillParses() {
    SpecParser.Declared d =
        declared(
            """
            apiVersion: stackpilot.io/v1alpha1
            kind: Fleet
            metadata: {name: f}
            spec:
              clusters: [{name: c1, context: c1, tenant: t, labels: {role: hub}}, {name: c2, tenant: t}]
              rollout: {canary: [c1], batchSize: 2, soakSeconds: 0}
            """);
    validator.validate(d);
    RolloutTargets t = RolloutTargets.of(d.fleet());
    assertThat(t.batchSize()).isEqualTo(2);
    assertThat(t.maxUnavailable()).isEqualTo(2);
    assertThat(d.fleet().spec().rollout().gatesOrDefault().healthyRequired()).isTrue();
    assertThat(d.fleet().spec().rollout().gateFailure()).isEqualTo(RolloutGateFailure.HALT);
  }

  @Test
  void withoutRolloutEveryClusterIsOneBatch() {
    RolloutTargets t = RolloutTargets.of(declared(fleet(null, null)).fleet());
    assertThat(t.selected()).hasSize(3);
    assertThat(t.canaries()).isEmpty();
    assertThat(t.batchSize()).isEqualTo(3);
  }

  @Nested
  class Quantities {
    @ParameterizedTest(name = "{0} of {1} clusters rounds up to {2}, down to {3}")
    @CsvSource({
      "25%, 4, 1, 1",
      "25%, 5, 2, 1",
      "1%, 3, 1, 1",
      "50%, 3, 2, 1",
      "100%, 7, 7, 7",
      "33%, 10, 4, 3",
      "3, 10, 3, 3"
    })
    void percentagesRoundAndNeverGiveZero(String raw, int total, int up, int down) {
      RolloutQuantity q = RolloutQuantity.parse(raw.endsWith("%") ? raw : Integer.valueOf(raw));
      assertThat(q.problem()).isEmpty();
      assertThat(q.resolve(total, true)).isEqualTo(up);
      assertThat(q.resolve(total, false)).isEqualTo(down);
    }

    @Test
    void badQuantitiesAreNamedWithTheirField() {
      assertThat(violations(fleet(null, "{batchSize: \"0%\"}")))
          .containsExactly(
              "fleet.spec.rollout.batchSize: must be a percentage from 1% to 100%, not '0%'");
      assertThat(violations(fleet(null, "{batchSize: 150%}")))
          .containsExactly(
              "fleet.spec.rollout.batchSize: must be a percentage from 1% to 100%, not '150%'");
      assertThat(violations(fleet(null, "{batchSize: 12.5%}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.batchSize: must be a whole number or a percentage");
      assertThat(violations(fleet(null, "{batchSize: 2.5}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.batchSize: must be a whole number");
      assertThat(violations(fleet(null, "{batchSize: \"two\"}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.batchSize: must be a whole number");
      assertThat(violations(fleet(null, "{batchSize: 0}")))
          .containsExactly("fleet.spec.rollout.batchSize: must be at least 1, not 0");
      assertThat(violations(fleet(null, "{maxUnavailable: -5%}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.maxUnavailable: must be a whole number");
    }

    @Test
    void maxUnavailableMustNotExceedTheBatchSize() {
      assertThat(violations(fleet(null, "{batchSize: 1, maxUnavailable: 2}")))
          .containsExactly(
              "fleet.spec.rollout.maxUnavailable: must not exceed the batch size: 2 > 1 (of 3"
                  + " selected clusters)");
      // 34% of 3 rounds up to 2 for a batch, 100% of 3 is 3 unavailable
      assertThat(violations(fleet(null, "{batchSize: 34%, maxUnavailable: 100%}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.maxUnavailable: must not exceed the batch size: 3 > 2");
      assertThat(violations(fleet(null, "{batchSize: 34%, maxUnavailable: 66%}"))).isEmpty();
      assertThat(violations(fleet(null, "{maxUnavailable: 3}"))).isEmpty();
    }
  }

  @Nested
  class Selectors {
    final Map<String, String> prodEu = Map.of("env", "prod", "region", "eu");

    FleetSelector.Requirement req(String key, String op, String... values) {
      return new FleetSelector.Requirement(key, op, values.length == 0 ? null : List.of(values));
    }

    boolean matches(FleetSelector.Requirement... rs) {
      return FleetSelectorMatcher.matches(new FleetSelector(null, List.of(rs)), prodEu);
    }

    @Test
    void anAbsentOrEmptySelectorSelectsEverything() {
      assertThat(FleetSelectorMatcher.matches(null, Map.of())).isTrue();
      assertThat(FleetSelectorMatcher.matches(new FleetSelector(null, null), prodEu)).isTrue();
      assertThat(FleetSelectorMatcher.matches(new FleetSelector(Map.of(), List.of()), Map.of()))
          .isTrue();
    }

    @Test
    void matchLabelsNeedsEveryPair() {
      assertThat(
              FleetSelectorMatcher.matches(new FleetSelector(Map.of("env", "prod"), null), prodEu))
          .isTrue();
      assertThat(
              FleetSelectorMatcher.matches(
                  new FleetSelector(Map.of("env", "prod", "region", "us"), null), prodEu))
          .isFalse();
      assertThat(FleetSelectorMatcher.matches(new FleetSelector(Map.of("tier", "1"), null), prodEu))
          .isFalse();
    }

    @Test
    void operatorsFollowKubernetes() {
      assertThat(matches(req("env", "In", "prod", "staging"))).isTrue();
      assertThat(matches(req("env", "In", "dev"))).isFalse();
      assertThat(matches(req("tier", "In", "1"))).isFalse();
      assertThat(matches(req("env", "NotIn", "dev"))).isTrue();
      assertThat(matches(req("env", "NotIn", "prod"))).isFalse();
      assertThat(matches(req("tier", "NotIn", "1"))).as("NotIn holds without the label").isTrue();
      assertThat(matches(req("region", "Exists"))).isTrue();
      assertThat(matches(req("tier", "Exists"))).isFalse();
      assertThat(matches(req("tier", "DoesNotExist"))).isTrue();
      assertThat(matches(req("env", "DoesNotExist"))).isFalse();
      assertThat(matches(req("env", "In", "prod"), req("region", "NotIn", "eu")))
          .as("requirements are ANDed")
          .isFalse();
    }

    @Test
    void selectKeepsFleetOrder() {
      var fleet = declared(fleet("{matchExpressions: [{key: region, operator: Exists}]}", null));
      assertThat(
              FleetSelectorMatcher.select(
                  fleet.fleet().spec().selector(), fleet.fleet().spec().clusters()))
          .extracting(FleetSpec.Cluster::name)
          .containsExactly("a", "b");
    }

    @Test
    void badSelectorsAreNamedWithTheirField() {
      assertThat(
              violations(
                  fleet(
                      "{matchExpressions: [{key: env, operator: Equals, values: [prod]},"
                          + " {key: env, operator: In}, {key: env, operator: Exists, values: [x]},"
                          + " {operator: Exists}]}",
                      null)))
          .containsExactly(
              "fleet.spec.selector.matchExpressions[0].operator: must be one of In, NotIn,"
                  + " Exists, DoesNotExist, not 'Equals'",
              "fleet.spec.selector.matchExpressions[1].values: required for In: at least one",
              "fleet.spec.selector.matchExpressions[2].values: must be empty for Exists",
              "fleet.spec.selector.matchExpressions[3].key: required");
    }

    @Test
    void aSelectorThatSelectsNothingIsRefused() {
      assertThat(violations(fleet("{matchLabels: {env: staging}}", null)))
          .containsExactly("fleet.spec.selector: selects no cluster of fleet.spec.clusters");
    }

    @Test
    void canariesMustBeSelected() {
      assertThat(violations(fleet("{matchLabels: {env: prod}}", "{canary: [a, c, zz, a]}")))
          .containsExactly(
              "fleet.spec.rollout.canary[1]: cluster 'c' is not selected by fleet.spec.selector",
              "fleet.spec.rollout.canary[2]: no cluster named 'zz'",
              "fleet.spec.rollout.canary[3]: cluster 'a' is named twice");
      assertThat(
              violations(
                  fleet(
                      "{matchLabels: {env: prod}}", "{canarySelector: {matchLabels: {env: dev}}}")))
          .containsExactly(
              "fleet.spec.rollout.canarySelector: selects no cluster that fleet.spec.selector"
                  + " selects");
      assertThat(
              violations(
                  fleet(
                      null,
                      "{canarySelector: {matchExpressions: [{key: env, operator: in, values:"
                          + " [dev]}]}}")))
          .singleElement()
          .asString()
          .startsWith("fleet.spec.rollout.canarySelector.matchExpressions[0].operator");
    }
  }

  @Test
  void overridesMustNameAComponentOfTheStack() {
    assertThat(
            violations(
                """
                apiVersion: stackpilot.io/v1alpha1
                kind: Fleet
                metadata: {name: f}
                spec:
                  clusters:
                    - {name: a, tenant: a, overrides: {loki: {values: {x: 1}}, mimir: {values: {}}}}
                """))
        .containsExactly(
            "fleet.spec.clusters[0].overrides.mimir: no component named 'mimir' in the stack");
  }

  @Test
  void anUnknownFieldInAnOverrideIsNamedByTheParser() {
    assertThatThrownBy(
            () ->
                declared(
                    """
                    apiVersion: stackpilot.io/v1alpha1
                    kind: Fleet
                    metadata: {name: f}
                    spec:
                      clusters: [{name: a, tenant: a, overrides: {loki: {value: {x: 1}}}}]
                    """))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("fleet.spec.clusters[0].overrides.loki.value: unknown field 'value'");
  }

  @Test
  void gatesAndPolicyAreChecked() {
    assertThat(
            violations(
                fleet(null, "{soakSeconds: -1, gates: {maxBurnRate: 0}, onGateFailure: rollback}")))
        .containsExactly(
            "fleet.spec.rollout.soakSeconds: must not be negative",
            "fleet.spec.rollout.gates.maxBurnRate: must be a positive number, not 0.0",
            "fleet.spec.rollout.onGateFailure: must be halt or rollback-wave, not 'rollback'");
  }

  @Test
  void theDriftModeIsWarnUnlessTheFleetSaysCorrect() {
    assertThat(declared(fleet(null, null)).fleet().spec().driftModeOrDefault())
        .isEqualTo(DriftMode.WARN);
    String correcting = fleet(null, null) + "  drift: {mode: correct}\n";
    assertThat(violations(correcting)).isEmpty();
    assertThat(declared(correcting).fleet().spec().driftModeOrDefault())
        .isEqualTo(DriftMode.CORRECT);
    assertThat(violations(fleet(null, null) + "  drift: {mode: heal}\n"))
        .containsExactly("fleet.spec.drift.mode: must be warn or correct, not 'heal'");
  }

  @Test
  void anEmptyFleetIsRefused() {
    assertThat(
            violations(
                """
                apiVersion: stackpilot.io/v1alpha1
                kind: Fleet
                metadata: {name: f}
                spec: {clusters: []}
                """))
        .containsExactly("fleet.spec.clusters: must name at least one cluster");
  }

  @Test
  void plannerSideResolutionRefusesABadQuantityWithItsField() {
    FleetSpec fleet = declared(fleet(null, "{maxUnavailable: 200%}")).fleet();
    assertThatThrownBy(() -> RolloutTargets.of(fleet))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("fleet.spec.rollout.maxUnavailable: ");
  }
}
