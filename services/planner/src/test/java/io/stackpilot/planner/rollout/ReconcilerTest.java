package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.GateDecision;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiffTest;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions, folded back as the loop does, at instants the test chooses. */
class ReconcilerTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  final Envelopes envelopes = new Envelopes("planner", Clock.fixed(T0, ZoneOffset.UTC));
  final Reconciler reconciler = new Reconciler(envelopes);
  final Rollouts rollouts = new Rollouts();
  final RolloutFacts facts = new RolloutFacts(envelopes, rollouts);
  RolloutState r;

  @BeforeEach
  void planned() {
    r = facts.planned(facts.change("r1", "lgtm"), PlanDiff(PlanDiffTest.FULL));
  }

  @Test
  void stepsGoRankByRankAndWaveByWaveBehindTheGate() {
    assertThat(transitions(step(T0))).containsExactly(RolloutTransition.STARTED);
    assertThat(transitions(step(T0))).containsExactly(RolloutTransition.WAVE_STARTED);
    assertThat(stepIds(step(T0))).containsExactly("r1/a/loki");
    assertThat(step(T0)).isEmpty();
    healthy("r1/a/loki");
    assertThat(stepIds(step(T0))).containsExactly("r1/a/alloy");
    healthy("r1/a/alloy");
    List<SpecificRecord> gate = step(T0);
    assertThat(transitions(gate)).containsExactly(RolloutTransition.GATE_REQUESTED);
    assertThat(((RolloutStatusChanged) gate.get(0)).getGate().getSubjects()).hasSize(2);
    assertThat(step(T0)).isEmpty();
    decide(0, GateDecision.PROMOTE);
    assertThat(transitions(step(T0))).containsExactly(RolloutTransition.WAVE_PROMOTED);
    assertThat(transitions(step(T0))).containsExactly(RolloutTransition.WAVE_STARTED);
    assertThat(stepIds(step(T0))).containsExactly("r1/b/loki", "r1/c/loki");
  }

  @Test
  void aStepThatOutlivesItsTimeoutFailsTheWaveAndHalts() {
    step(T0);
    step(T0);
    step(T0);
    Instant late = T0.plusSeconds(601);
    List<SpecificRecord> timedOut = step(late);
    assertThat(transitions(timedOut)).containsExactly(RolloutTransition.STEP_TIMED_OUT);
    List<SpecificRecord> failed = step(late);
    assertThat(transitions(failed)).containsExactly(RolloutTransition.WAVE_FAILED);
    assertThat(r.phase()).isEqualTo(RolloutPhase.HALTED);
    assertThat(step(late)).isEmpty();
  }

  @Test
  void aGateWithoutAnswerIsAskedAgainThenHalts() {
    step(T0);
    step(T0);
    step(T0);
    healthy("r1/a/loki");
    step(T0);
    healthy("r1/a/alloy");
    step(T0);
    Instant later = T0.plusSeconds(301);
    RolloutStatusChanged again = (RolloutStatusChanged) step(later).get(0);
    assertThat(again.getGate().getAttempt()).isEqualTo(2);
    // asked again at T0 (the fixed clock), so the next deadline has passed too
    assertThat(((RolloutStatusChanged) step(later).get(0)).getGate().getAttempt()).isEqualTo(3);
    assertThat(transitions(step(later))).containsExactly(RolloutTransition.GATE_TIMED_OUT);
    assertThat(r.phase()).isEqualTo(RolloutPhase.HALTED);
  }

  @Test
  void aPausedRolloutStartsNothingUntilResumedAndAnAbortedOneNothingAtAll() {
    step(T0);
    step(T0);
    step(T0);
    fold(List.of(reconciler.command(r, RolloutTransition.PAUSED, "user:bob", "maintenance")));
    healthy("r1/a/loki");
    assertThat(step(T0)).isEmpty();
    assertThat(reconciler.command(r, RolloutTransition.PAUSED, "user:bob", "again")).isNull();
    RolloutStatusChanged resumed =
        reconciler.command(r, RolloutTransition.RESUMED, "user:bob", "done");
    assertThat(resumed.getPhase()).isEqualTo(RolloutPhase.PROGRESSING);
    assertThat(resumed.getEnvelope().getActor()).isEqualTo("user:bob");
    fold(List.of(resumed));
    assertThat(stepIds(step(T0))).containsExactly("r1/a/alloy");
    fold(List.of(reconciler.command(r, RolloutTransition.ABORTED, "user:bob", "enough")));
    healthy("r1/a/alloy");
    assertThat(step(T0)).isEmpty();
    assertThat(reconciler.command(r, RolloutTransition.RESUMED, "user:bob", "no")).isNull();
  }

  private static Plan PlanDiff(Plan full) {
    return io.stackpilot.planner.plan.PlanDiff.diff(full, java.util.Map.of()).plan();
  }

  private List<SpecificRecord> step(Instant now) {
    List<SpecificRecord> next = reconciler.next(r, rollouts.deployments(), now);
    fold(next);
    return next;
  }

  private void fold(List<? extends SpecificRecord> events) {
    events.forEach(rollouts::fold);
  }

  private void healthy(String stepId) {
    facts.healthy(r.steps().get(stepId).requested());
  }

  private void decide(int wave, GateDecision decision) {
    facts.decide(r, wave, decision);
  }

  private static List<RolloutTransition> transitions(List<SpecificRecord> events) {
    return events.stream()
        .filter(e -> e instanceof RolloutStatusChanged)
        .map(e -> ((RolloutStatusChanged) e).getTransition())
        .toList();
  }

  private static List<String> stepIds(List<SpecificRecord> events) {
    return events.stream()
        .filter(e -> e instanceof StepRequested)
        .map(e -> ((StepRequested) e).getStepId())
        .toList();
  }
}
