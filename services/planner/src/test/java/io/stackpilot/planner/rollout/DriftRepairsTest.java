package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftMode;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiffTest;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the planner does with the applier's drift reports: corrects them when the fleet says {@code
 * correct}, once per report, never during a rollout of the stack, and never against a revision that
 * is no longer the deployed one.
 */
class DriftRepairsTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  final Envelopes envelopes = new Envelopes("planner", Clock.fixed(T0, ZoneOffset.UTC));
  final Reconciler reconciler = new Reconciler(envelopes);
  final Rollouts rollouts = new Rollouts();
  final RolloutFacts facts = new RolloutFacts(envelopes, rollouts);

  @Test
  void inCorrectModeTheDeployedRevisionIsRequestedAgainOncePerReport() {
    StepRequested deployed = rollOut("r1", DriftMode.CORRECT);
    DriftDetected report = report(deployed, DriftStatus.DRIFTED);
    rollouts.fold(report);

    List<StepRequested> due = due();
    assertThat(due).hasSize(1);
    StepRequested correction = due.get(0);
    assertThat(correction.getStepId()).isEqualTo("drift-1/a/loki");
    assertThat(correction.getAction()).isEqualTo(StepAction.APPLY);
    assertThat(correction.getDigest()).isEqualTo(deployed.getDigest());
    assertThat(correction.getPreviousDigest()).isEqualTo(deployed.getDigest());
    assertThat(correction.getChart()).isEqualTo(deployed.getChart());
    assertThat(correction.getValues()).isEqualTo(deployed.getValues());
    EventEnvelope envelope = correction.getEnvelope();
    assertThat(envelope.getCausationId()).isEqualTo(report.getEnvelope().getEventId());
    assertThat(envelope.getCorrelationId()).isEqualTo("drift-1");
    assertThat(envelope.getCluster()).isEqualTo("a");
    assertThat(envelope.getActor()).isEqualTo("service:planner");

    rollouts.fold(correction);
    assertThat(due()).as("one correction per report").isEmpty();

    // the correction is applied; the drift outlives it and is reported again: corrected again
    StepRequested applied = applied(correction);
    DriftDetected again =
        DriftDetected.newBuilder(report(applied, DriftStatus.DRIFTED))
            .setEnvelope(envelope("drift-2", "a"))
            .build();
    rollouts.fold(again);
    assertThat(due()).extracting(StepRequested::getStepId).containsExactly("drift-2/a/loki");
  }

  @Test
  void inWarnModeDriftIsOnlyRecorded() {
    StepRequested deployed = rollOut("r1", DriftMode.WARN);
    rollouts.fold(report(deployed, DriftStatus.DRIFTED));

    assertThat(due()).isEmpty();
  }

  @Test
  void aResolvedOrStaleReportIsNotCorrected() {
    StepRequested deployed = rollOut("r1", DriftMode.CORRECT);
    rollouts.fold(report(deployed, DriftStatus.DRIFTED));
    rollouts.fold(report(deployed, DriftStatus.RESOLVED));
    assertThat(due()).as("resolved").isEmpty();

    DriftDetected stale =
        DriftDetected.newBuilder(report(deployed, DriftStatus.DRIFTED))
            .setStepId("r0/a/loki")
            .build();
    rollouts.fold(stale);
    assertThat(due()).as("about a step that is no longer deployed").isEmpty();
  }

  @Test
  void noCorrectionWhileARolloutOfTheStackIsGoing() {
    StepRequested deployed = rollOut("r1", DriftMode.CORRECT);
    rollouts.fold(report(deployed, DriftStatus.DRIFTED));
    RolloutState next = plan("r2", DriftMode.CORRECT);
    assertThat(next.active()).isTrue();

    assertThat(due()).isEmpty();

    rollouts.fold(reconciler.rejected(next.change(), "test: r2 refused"));
    assertThat(due()).as("once the stack is free again").hasSize(1);
  }

  /** Plans a one-step rollout of loki on cluster a and drives it to COMPLETED. */
  private StepRequested rollOut(String rolloutId, DriftMode mode) {
    RolloutState r = plan(rolloutId, mode);
    List<StepRequested> steps = facts.drive(reconciler, r, T0, GateDecision.PROMOTE, s -> {});
    assertThat(r.phase()).isEqualTo(RolloutPhase.COMPLETED);
    return steps.get(steps.size() - 1);
  }

  private RolloutState plan(String rolloutId, DriftMode mode) {
    Plan plan =
        new Plan(
            List.of(new Plan.Wave(0, "canary", List.of("a"), 0)),
            List.of(PlanDiffTest.step("a", "loki", 0, "6.0.0", "d-loki")),
            Plan.Gate.DEFAULT,
            600,
            300,
            mode);
    return facts.planned(facts.change(rolloutId, "lgtm"), plan);
  }

  private StepRequested applied(StepRequested step) {
    facts.healthy(step);
    return step;
  }

  private DriftDetected report(StepRequested against, DriftStatus status) {
    return DriftDetected.newBuilder()
        .setEnvelope(envelope("drift-1", against.getEnvelope().getCluster()))
        .setStackName("lgtm")
        .setComponent(against.getComponent())
        .setNamespace(against.getNamespace())
        .setStepId(against.getStepId())
        .setDigest(against.getDigest())
        .setStatus(status)
        .setObjects(List.of())
        .build();
  }

  private EventEnvelope envelope(String correlation, String cluster) {
    return EventEnvelope.newBuilder(envelopes.root("service:applier", correlation))
        .setCluster(cluster)
        .build();
  }

  private List<StepRequested> due() {
    return rollouts.drift().due(rollouts, envelopes);
  }
}
