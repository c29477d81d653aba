package io.stackpilot.verifier;

import static io.stackpilot.verifier.GateRequests.criteria;
import static io.stackpilot.verifier.GateRequests.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.StepAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gate promotes only on evidence that passed: unhealthy subjects hold or roll back as the policy
 * says, and probe and SLO checks that nothing evaluates yet fail instead of passing unseen.
 */
class GateJudgeTest {
  final GateJudge judge = new GateJudge();
  final GateJudge.SubjectVerdict lokiHealthy =
      verdict("perso", "loki", HealthStatus.HEALTHY, "all 2 objects present with digest sha256:a");
  final GateJudge.SubjectVerdict tempoPruned =
      verdict("perso", "tempo", HealthStatus.HEALTHY, "pruned: 1 objects absent");
  final GateJudge.SubjectVerdict mimirMissing =
      verdict("foundation", "mimir", HealthStatus.MISSING, "1 of 2 objects missing");

  @Test
  void everySubjectHealthyPromotesWithOneHealthEvidenceEach() {
    var judgement =
        judge.judge(
            criteria(0, GateFailurePolicy.HALT), 1, List.of(lokiHealthy, tempoPruned), List.of());

    assertThat(judgement.decision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(judgement.reasons()).containsExactly("all 2 checks passed");
    assertThat(judgement.evidence())
        .extracting(
            GateEvidence::getKind,
            GateEvidence::getSubject,
            GateEvidence::getPassed,
            GateEvidence::getDetail)
        .containsExactly(
            tuple("health", "perso/loki", true, "all 2 objects present with digest sha256:a"),
            tuple("health", "perso/tempo", true, "pruned: 1 objects absent"));
  }

  @Test
  void anUnhealthySubjectHoldsUnderHaltAndRollsBackUnderRollBackWave() {
    var held =
        judge.judge(
            criteria(0, GateFailurePolicy.HALT), 0, List.of(lokiHealthy, mimirMissing), List.of());
    var rolledBack =
        judge.judge(
            criteria(0, GateFailurePolicy.ROLL_BACK_WAVE),
            0,
            List.of(lokiHealthy, mimirMissing),
            List.of());

    assertThat(held.decision()).isEqualTo(GateDecision.HOLD);
    assertThat(rolledBack.decision()).isEqualTo(GateDecision.ROLL_BACK);
    assertThat(held.reasons()).containsExactly("health foundation/mimir: 1 of 2 objects missing");
    assertThat(held.evidence())
        .extracting(GateEvidence::getSubject, GateEvidence::getPassed)
        .containsExactly(tuple("perso/loki", true), tuple("foundation/mimir", false));
  }

  @Test
  void healthThatIsNotRequiredIsRecordedButDoesNotDecide() {
    GateCriteria criteria = criteria(0, GateFailurePolicy.ROLL_BACK_WAVE);
    criteria.setRequireHealthy(false);

    var judgement = judge.judge(criteria, 0, List.of(mimirMissing), List.of());

    assertThat(judgement.decision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(judgement.evidence())
        .singleElement()
        .satisfies(e -> assertThat(e.getPassed()).isFalse());
    assertThat(judgement.reasons())
        .containsExactly("health foundation/mimir (not required): 1 of 2 objects missing");
  }

  @Test
  void requiredProbesAndABurnRateLimitWithNothingMeasuredFailRatherThanPassUnseen() {
    GateCriteria criteria = criteria(0, GateFailurePolicy.HALT);
    criteria.setRequireProbes(true);
    criteria.setMaxBurnRate(2.0);

    var judgement = judge.judge(criteria, 3, List.of(lokiHealthy), List.of());

    assertThat(judgement.decision()).isEqualTo(GateDecision.HOLD);
    assertThat(judgement.evidence())
        .extracting(GateEvidence::getKind, GateEvidence::getPassed, GateEvidence::getDetail)
        .containsExactly(
            tuple("health", true, "all 2 objects present with digest sha256:a"),
            tuple("probe", false, GateJudge.NO_PROBES),
            tuple("slo", false, GateJudge.NO_SLOS));
    assertThat(judgement.reasons())
        .containsExactly(
            "probe wave 3: " + GateJudge.NO_PROBES, "slo wave 3: " + GateJudge.NO_SLOS);
  }

  @Test
  void aFailedProbeHoldsAndABurningSloRollsBackWithTheirEvidence() {
    GateCriteria criteria = criteria(0, GateFailurePolicy.ROLL_BACK_WAVE);
    criteria.setRequireProbes(true);
    criteria.setMaxBurnRate(14.4);
    GateEvidence ready = measured("probe", "perso/loki readiness", true, "HTTP 200", "e-1");
    GateEvidence burning = measured("slo", "perso/loki/availability", false, "burn 15x", "e-2");

    var promoted = judge.judge(criteria, 0, List.of(lokiHealthy), List.of(ready));
    var rolledBack = judge.judge(criteria, 0, List.of(lokiHealthy), List.of(ready, burning));
    criteria.setOnGateFailure(GateFailurePolicy.HALT);
    var held = judge.judge(criteria, 0, List.of(lokiHealthy), List.of(ready, burning));

    // the probe alone leaves the burn rate unmeasured: that fails too
    assertThat(promoted.decision()).isEqualTo(GateDecision.ROLL_BACK);
    assertThat(promoted.reasons()).containsExactly("slo wave 0: " + GateJudge.NO_SLOS);
    assertThat(rolledBack.decision()).isEqualTo(GateDecision.ROLL_BACK);
    assertThat(rolledBack.reasons()).containsExactly("slo perso/loki/availability: burn 15x");
    assertThat(rolledBack.evidence())
        .extracting(GateEvidence::getEvidenceEventId)
        .containsExactly(null, "e-1", "e-2");
    assertThat(held.decision()).isEqualTo(GateDecision.HOLD);
  }

  @Test
  void measuredChecksThatAllPassPromote() {
    GateCriteria criteria = criteria(0, GateFailurePolicy.ROLL_BACK_WAVE);
    criteria.setRequireProbes(true);
    criteria.setMaxBurnRate(14.4);

    var judgement =
        judge.judge(
            criteria,
            1,
            List.of(lokiHealthy),
            List.of(
                measured("probe", "perso/loki readiness", true, "HTTP 200", "e-1"),
                measured("slo", "perso/loki/availability", true, "burn 0.5x", "e-2")));

    assertThat(judgement.decision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(judgement.reasons()).containsExactly("all 3 checks passed");
  }

  private static GateEvidence measured(
      String kind, String subject, boolean passed, String detail, String eventId) {
    return GateEvidence.newBuilder()
        .setKind(kind)
        .setSubject(subject)
        .setPassed(passed)
        .setDetail(detail)
        .setEvidenceEventId(eventId)
        .build();
  }

  @Test
  void aWaveWithoutStepsPromotesAndSaysSo() {
    var judgement = judge.judge(criteria(0, GateFailurePolicy.HALT), 0, List.of(), List.of());

    assertThat(judgement.decision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(judgement.reasons()).containsExactly("nothing to check: the wave has no steps");
  }

  @Test
  void aGateIsDueAfterItsSoak() {
    Instant at = Instant.parse("2026-11-21T08:00:00Z");
    assertThat(GateJudge.dueAt(at, criteria(90, GateFailurePolicy.HALT)))
        .isEqualTo(Instant.parse("2026-11-21T08:01:30Z"));
    assertThat(GateJudge.dueAt(at, criteria(0, GateFailurePolicy.HALT))).isEqualTo(at);
  }

  private static GateJudge.SubjectVerdict verdict(
      String cluster, String component, HealthStatus health, String reason) {
    return new GateJudge.SubjectVerdict(
        subject(cluster, component, "sha256:a", StepAction.APPLY),
        new HealthAssessment.Verdict(health, reason, List.of()));
  }
}
