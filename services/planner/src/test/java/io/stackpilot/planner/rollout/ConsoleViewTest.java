package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.GateDecision;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.console.ConsoleView;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiff;
import io.stackpilot.planner.plan.PlanDiffTest;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The console's snapshot of the planner's read model (in this package for its fact helpers): the
 * grid per stack with health in words, rollouts with their waves and gate decisions, and only the
 * most recent finished rollouts.
 */
class ConsoleViewTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  final Envelopes envelopes = new Envelopes("planner", Clock.fixed(T0, ZoneOffset.UTC));
  final Reconciler reconciler = new Reconciler(envelopes);
  final Rollouts rollouts = new Rollouts();
  final RolloutFacts facts = new RolloutFacts(envelopes, rollouts);
  final SpecParser parser = new SpecParser();

  @Test
  void aCompletedRolloutFillsTheGridAndShowsEveryWavesGate() {
    RolloutState r = facts.planned(facts.change("r1", "lgtm"), full());
    facts.drive(reconciler, r, T0, GateDecision.PROMOTE, s -> {});

    ConsoleView.Snapshot snapshot = ConsoleView.of(7, rollouts, parser);

    assertThat(snapshot.version()).isEqualTo(7);
    assertThat(snapshot.clusters())
        .extracting(ConsoleView.ClusterRow::name)
        .containsExactly("a", "b", "c");
    ConsoleView.StackGrid grid = snapshot.stacks().get(0);
    assertThat(grid.stack()).isEqualTo("lgtm");
    assertThat(grid.components()).containsExactly("alloy", "loki");
    assertThat(grid.rows()).extracting(ConsoleView.GridRow::cluster).containsExactly("a", "b", "c");
    ConsoleView.Cell loki = grid.rows().get(1).cells().get("loki");
    assertThat(loki.health()).isEqualTo("HEALTHY");
    assertThat(loki.reason()).isEqualTo("ok");
    assertThat(loki.chartVersion()).isEqualTo("6.0.0");
    assertThat(loki.rolloutId()).isEqualTo("r1");

    ConsoleView.RolloutRow row = snapshot.rollouts().get(0);
    assertThat(row.phase()).isEqualTo("COMPLETED");
    assertThat(row.active()).isFalse();
    assertThat(row.actor()).isEqualTo("user:alice");
    assertThat(row.waves())
        .extracting(
            w ->
                w.index()
                    + " "
                    + w.name()
                    + " "
                    + w.clusters()
                    + " "
                    + w.state()
                    + " "
                    + w.gate().decision())
        .containsExactly("0 canary [a] PROMOTED PROMOTE", "1 batch-1 [b, c] PROMOTED PROMOTE");
  }

  @Test
  void aStepAppliedButNotYetVerifiedIsUnverifiedAndAFailedGateShowsWhy() {
    RolloutState r = facts.planned(facts.change("r1", "lgtm"), full());
    StepRequested loki = null;
    for (int tick = 0; tick < 3; tick++) {
      for (SpecificRecord e : reconciler.next(r, rollouts.deployments(), T0)) {
        rollouts.fold(e);
        if (e instanceof StepRequested s) {
          loki = s;
        }
      }
    }
    assertThat(loki).isNotNull();
    rollouts.fold(
        StepApplied.newBuilder()
            .setEnvelope(envelopes.causedBy(loki.getEnvelope()))
            .setStepId(loki.getStepId())
            .setComponent(loki.getComponent())
            .setDigest(loki.getDigest())
            .setResources(List.of())
            .setDurationMillis(1)
            .build());
    rollouts.fold(
        io.stackpilot.events.GateDecided.newBuilder()
            .setEnvelope(envelopes.causedBy(r.last().getEnvelope()))
            .setWaveIndex(0)
            .setClusters(List.of("a"))
            .setDecision(GateDecision.HOLD)
            .setReasons(List.of("a/loki: Deployment has 0/1 ready"))
            .build());

    ConsoleView.Snapshot snapshot = ConsoleView.of(1, rollouts, parser);

    Map<String, ConsoleView.Cell> a = snapshot.stacks().get(0).rows().get(0).cells();
    assertThat(a).containsOnlyKeys("loki");
    assertThat(a.get("loki").health()).isEqualTo("UNVERIFIED");
    ConsoleView.RolloutRow row = snapshot.rollouts().get(0);
    assertThat(row.active()).isTrue();
    assertThat(row.waves().get(0).gate())
        .isEqualTo(new ConsoleView.Gate("HOLD", List.of("a/loki: Deployment has 0/1 ready")));
    assertThat(row.waves().get(1).gate()).isNull();
    assertThat(row.waves().get(1).state()).isEqualTo("PENDING");
  }

  @Test
  void everyActiveRolloutIsListedButOnlyTheLatestFinishedOnes() {
    for (int i = 0; i < ConsoleView.RECENT + 3; i++) {
      RolloutState done = facts.planned(facts.change("done-" + i, "s" + i), full());
      facts.drive(reconciler, done, T0, GateDecision.PROMOTE, s -> {});
    }
    facts.planned(facts.change("going", "other"), full());

    List<ConsoleView.RolloutRow> rows = ConsoleView.of(1, rollouts, parser).rollouts();

    assertThat(rows).hasSize(ConsoleView.RECENT + 1);
    assertThat(rows.get(0).rolloutId()).isEqualTo("going");
    assertThat(rows.get(0).active()).isTrue();
    assertThat(rows.get(1).rolloutId()).isEqualTo("done-" + (ConsoleView.RECENT + 2));
    assertThat(rows)
        .extracting(ConsoleView.RolloutRow::rolloutId)
        .doesNotContain("done-0", "done-2");
  }

  private static Plan full() {
    return PlanDiff.diff(PlanDiffTest.FULL, Map.of()).plan();
  }
}
