package io.stackpilot.verifier;

import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.HealthStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a wave's gate from what was seen after its soak: a pure function. One health evidence per
 * subject, and the probe and SLO evidence {@link GateChecks} measured. Criteria that ask for probes
 * or a burn rate with nothing measured fail rather than pass unseen. PROMOTE when every deciding
 * evidence passed, otherwise ROLL_BACK or HOLD as the rollout's {@code onGateFailure} says.
 */
public final class GateJudge {
  public static final String HEALTH = "health";
  public static final String PROBE = "probe";
  public static final String SLO = "slo";
  public static final String NO_PROBES =
      "probes are required but nothing in the wave has a readiness endpoint, a canary or a probe";
  public static final String NO_SLOS =
      "maxBurnRate is set but no component of the wave declares an SLO";

  /** One subject of the gate and the verdict on its objects as re-read after the soak. */
  public record SubjectVerdict(GateSubject subject, HealthAssessment.Verdict verdict) {}

  /** What the gate decided, why, and the evidence, passed or not. */
  public record Judgement(
      GateDecision decision, List<String> reasons, List<GateEvidence> evidence) {}

  /** When a gate may be judged: the request's time plus the soak, never before. */
  public static Instant dueAt(Instant requestedAt, GateCriteria criteria) {
    return requestedAt.plusSeconds(Math.max(0, criteria.getSoakSeconds()));
  }

  /**
   * @param checks the probe and SLO evidence measured for the gate ({@link GateChecks})
   */
  public Judgement judge(
      GateCriteria criteria,
      int waveIndex,
      List<SubjectVerdict> subjects,
      List<GateEvidence> checks) {
    List<GateEvidence> evidence = new ArrayList<>();
    for (SubjectVerdict s : subjects) {
      evidence.add(
          evidence(
              HEALTH,
              s.subject().getCluster() + "/" + s.subject().getComponent(),
              s.verdict().health() == HealthStatus.HEALTHY,
              s.verdict().reason()));
    }
    evidence.addAll(checks);
    String wave = "wave " + waveIndex;
    boolean applied = !subjects.isEmpty();
    if (applied && criteria.getRequireProbes() && none(checks, PROBE)) {
      evidence.add(evidence(PROBE, wave, false, NO_PROBES));
    }
    if (applied && criteria.getMaxBurnRate() != null && none(checks, SLO)) {
      evidence.add(evidence(SLO, wave, false, NO_SLOS));
    }

    List<String> reasons = new ArrayList<>();
    boolean failed = false;
    for (GateEvidence e : evidence) {
      if (e.getPassed()) {
        continue;
      }
      if (decides(criteria, e)) {
        failed = true;
        reasons.add(e.getKind() + " " + e.getSubject() + ": " + e.getDetail());
      } else {
        reasons.add(e.getKind() + " " + e.getSubject() + " (not required): " + e.getDetail());
      }
    }
    if (!failed && reasons.isEmpty()) {
      reasons.add(
          evidence.isEmpty()
              ? "nothing to check: the wave has no steps"
              : "all " + evidence.size() + " checks passed");
    }
    return new Judgement(decision(criteria, failed), reasons, evidence);
  }

  private static boolean none(List<GateEvidence> checks, String kind) {
    return checks.stream().noneMatch(e -> kind.equals(e.getKind()));
  }

  /** Health is recorded always but decides only when the criteria require healthy subjects. */
  private static boolean decides(GateCriteria criteria, GateEvidence e) {
    return !HEALTH.equals(e.getKind()) || criteria.getRequireHealthy();
  }

  private static GateDecision decision(GateCriteria criteria, boolean failed) {
    if (!failed) {
      return GateDecision.PROMOTE;
    }
    return criteria.getOnGateFailure() == GateFailurePolicy.ROLL_BACK_WAVE
        ? GateDecision.ROLL_BACK
        : GateDecision.HOLD;
  }

  private static GateEvidence evidence(String kind, String subject, boolean passed, String detail) {
    return GateEvidence.newBuilder()
        .setKind(kind)
        .setSubject(subject)
        .setPassed(passed)
        .setDetail(detail)
        .setEvidenceEventId(null)
        .build();
  }
}
