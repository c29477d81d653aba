package io.stackpilot.planner.rollout;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.GateRequest;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.runtime.Envelopes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides what a rollout does next from what the log says happened: level-triggered, like a
 * Kubernetes controller. Given the same state and instant it returns the same events, and it never
 * returns an event the state already records, so the loop may call it as often as it likes, and a
 * restarted planner that rebuilt the state from the log goes on where the last one stopped, without
 * requesting a step twice.
 *
 * <p>Per wave: clusters start while fewer than {@code maxUnavailable} are in progress; on each
 * cluster the steps of the lowest dependency rank not yet healthy are requested; a step that fails,
 * is verified in a state that will not heal, or outlives the step timeout fails the wave. A wave
 * whose steps are all healthy asks the verifier for its gate (again if no answer comes within the
 * gate timeout, at most {@value #GATE_ATTEMPTS} times); PROMOTE starts the next wave, anything else
 * fails the wave. A failed wave halts the rollout or rolls the wave back, as the fleet's strategy
 * says: each of its requested steps returns to what the cluster ran before (an install is pruned, a
 * removal re-applied), in reverse dependency order per cluster.
 */
public final class Reconciler {
  static final int GATE_ATTEMPTS = 3;
  static final String ROLLBACK_SUFFIX = "/rollback";

  private final Envelopes envelopes;
  private final PlanEvents planEvents;

  public Reconciler(Envelopes envelopes) {
    this.envelopes = envelopes;
    this.planEvents = new PlanEvents(envelopes);
  }

  /** The next events of one rollout; empty when it waits or has settled. */
  public List<SpecificRecord> next(RolloutState r, Deployments deployments, Instant now) {
    if (r.planned() == null || r.plan() == null) {
      return List.of();
    }
    RolloutPhase phase = r.phase();
    if (phase == null) {
      return r.plan().steps().isEmpty()
          ? List.of(
              transition(r, RolloutTransition.COMPLETED, RolloutPhase.COMPLETED, null)
                  .reason("nothing to change: every component already runs this revision")
                  .build())
          : List.of(
              transition(r, RolloutTransition.STARTED, RolloutPhase.PROGRESSING, null)
                  .reason(
                      r.planned().getWaves().size()
                          + " waves, "
                          + r.plan().steps().size()
                          + " steps")
                  .build());
    }
    return switch (phase) {
      case PROGRESSING, GATING -> forward(r, deployments, now);
      case ROLLING_BACK -> rollback(r, deployments, now);
      default -> List.of();
    };
  }

  private List<SpecificRecord> forward(RolloutState r, Deployments deployments, Instant now) {
    Plan plan = r.plan();
    Plan.Wave wave = null;
    for (Plan.Wave w : plan.waves()) {
      if (!r.has(RolloutTransition.WAVE_PROMOTED, w.index())) {
        wave = w;
        break;
      }
    }
    if (wave == null) {
      return List.of(
          transition(r, RolloutTransition.COMPLETED, RolloutPhase.COMPLETED, null)
              .reason("every wave promoted")
              .build());
    }
    if (!r.has(RolloutTransition.WAVE_STARTED, wave.index())) {
      return List.of(
          transition(r, RolloutTransition.WAVE_STARTED, RolloutPhase.PROGRESSING, wave)
              .reason("wave " + wave.name() + ": " + wave.clusters().size() + " clusters")
              .build());
    }
    RolloutStatusChanged gateRequest = r.latest(RolloutTransition.GATE_REQUESTED, wave.index());
    if (gateRequest != null) {
      return gate(r, wave, gateRequest, now);
    }
    List<Plan.Step> waveSteps = stepsOf(plan, wave.index());
    List<SpecificRecord> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Duration timeout = Duration.ofSeconds(plan.stepTimeoutSeconds());
    for (Plan.Step step : waveSteps) {
      RolloutState.StepFacts facts = r.factsOrNull(step.stepId());
      if (facts == null || facts.requested() == null) {
        continue;
      }
      if (facts.broken()) {
        problems.add(step.cluster() + "/" + step.component() + " " + facts.problem());
      } else if (!facts.healthy() && expired(facts.requested().getEnvelope(), timeout, now)) {
        out.add(
            transition(r, RolloutTransition.STEP_TIMED_OUT, RolloutPhase.PROGRESSING, wave)
                .stepId(step.stepId())
                .reason(
                    step.cluster()
                        + "/"
                        + step.component()
                        + " not applied and healthy within "
                        + plan.stepTimeoutSeconds()
                        + "s")
                .build());
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    if (!problems.isEmpty()) {
      return failWave(r, wave, String.join("; ", problems));
    }
    Map<String, List<Plan.Step>> byCluster = new LinkedHashMap<>();
    for (String cluster : wave.clusters()) {
      byCluster.put(cluster, new ArrayList<>());
    }
    waveSteps.forEach(s -> byCluster.get(s.cluster()).add(s));
    int inProgress = 0;
    for (List<Plan.Step> steps : byCluster.values()) {
      if (started(r, steps) && !healthy(r, steps)) {
        inProgress++;
      }
    }
    int limit = wave.maxUnavailable() <= 0 ? wave.clusters().size() : wave.maxUnavailable();
    boolean allHealthy = true;
    for (Map.Entry<String, List<Plan.Step>> e : byCluster.entrySet()) {
      List<Plan.Step> steps = e.getValue();
      if (healthy(r, steps)) {
        continue;
      }
      allHealthy = false;
      if (!started(r, steps)) {
        if (inProgress >= limit) {
          continue;
        }
        inProgress++;
      }
      for (Plan.Step step : nextRank(r, steps)) {
        RolloutState.StepFacts facts = r.factsOrNull(step.stepId());
        if (facts == null || facts.requested() == null) {
          out.add(request(r, step, step.action(), step.stepId(), step.digest(), null));
        }
      }
    }
    if (allHealthy) {
      out.add(gateRequest(r, wave, 1));
    }
    return out;
  }

  private List<SpecificRecord> gate(
      RolloutState r, Plan.Wave wave, RolloutStatusChanged request, Instant now) {
    GateDecided decision = r.decision(wave.index());
    if (decision != null) {
      if (decision.getDecision() == GateDecision.PROMOTE) {
        return List.of(
            transition(r, RolloutTransition.WAVE_PROMOTED, RolloutPhase.PROGRESSING, wave)
                .envelope(envelopes.causedBy(decision.getEnvelope()))
                .reason("gate passed: " + String.join("; ", decision.getReasons()))
                .build());
      }
      return failWave(
          r,
          wave,
          "gate " + decision.getDecision() + ": " + String.join("; ", decision.getReasons()));
    }
    Instant deadline =
        request
            .getEnvelope()
            .getOccurredAt()
            .plusSeconds(wave.soakSeconds())
            .plusSeconds(r.plan().gateTimeoutSeconds());
    if (!now.isAfter(deadline)) {
      return List.of();
    }
    int attempt = request.getGate() == null ? 1 : request.getGate().getAttempt();
    if (attempt < GATE_ATTEMPTS) {
      return List.of(gateRequest(r, wave, attempt + 1));
    }
    return List.of(
        transition(r, RolloutTransition.GATE_TIMED_OUT, RolloutPhase.HALTED, wave)
            .reason(
                "no gate decision after "
                    + attempt
                    + " requests: halted (a rollout is never rolled back on a missing verdict)")
            .build());
  }

  private List<SpecificRecord> failWave(RolloutState r, Plan.Wave wave, String why) {
    boolean rollBack = r.planned().getOnGateFailure() == GateFailurePolicy.ROLL_BACK_WAVE;
    return List.of(
        transition(
                r,
                RolloutTransition.WAVE_FAILED,
                rollBack ? RolloutPhase.ROLLING_BACK : RolloutPhase.HALTED,
                wave)
            .reason(why + (rollBack ? ": rolling the wave back" : ": halted"))
            .build());
  }

  private List<SpecificRecord> rollback(RolloutState r, Deployments deployments, Instant now) {
    RolloutStatusChanged failed = r.latest(RolloutTransition.WAVE_FAILED, null);
    int waveIndex = failed.getWaveIndex();
    Plan.Wave wave = r.plan().waves().get(waveIndex);
    List<Plan.Step> forward = new ArrayList<>(stepsOf(r.plan(), waveIndex));
    forward.removeIf(
        s -> r.factsOrNull(s.stepId()) == null || r.factsOrNull(s.stepId()).requested() == null);
    // per cluster, undo the highest rank first; the cluster's partition keeps that order
    forward.sort(
        Comparator.comparing((Plan.Step s) -> wave.clusters().indexOf(s.cluster()))
            .thenComparing(Plan.Step::order, Comparator.reverseOrder()));
    List<SpecificRecord> out = new ArrayList<>();
    List<String> impossible = new ArrayList<>();
    List<String> rollbackIds = new ArrayList<>();
    for (Plan.Step step : forward) {
      String id = step.stepId() + ROLLBACK_SUFFIX;
      RolloutState.StepFacts facts = r.factsOrNull(id);
      if (facts != null && facts.requested() != null) {
        rollbackIds.add(id);
        continue;
      }
      if (step.previousDigest() == null) {
        out.add(request(r, step, StepAction.PRUNE, id, step.digest(), null));
        rollbackIds.add(id);
        continue;
      }
      Deployments.Key key = new Deployments.Key(r.stack(), step.cluster(), step.component());
      StepRequested earlier = deployments.revision(key, step.previousDigest()).orElse(null);
      if (earlier == null) {
        impossible.add(
            step.cluster() + "/" + step.component() + " (" + step.previousDigest() + ")");
      } else {
        out.add(request(r, step, StepAction.ROLL_BACK, id, step.previousDigest(), earlier));
        rollbackIds.add(id);
      }
    }
    if (!r.has(RolloutTransition.ROLLBACK_STARTED, waveIndex)) {
      out.add(
          0,
          transition(r, RolloutTransition.ROLLBACK_STARTED, RolloutPhase.ROLLING_BACK, wave)
              .reason(
                  rollbackIds.size()
                      + " steps to undo"
                      + (impossible.isEmpty()
                          ? ""
                          : "; no recorded revision to return to for " + impossible))
              .build());
      return out;
    }
    if (!out.isEmpty()) {
      return out;
    }
    Duration timeout = Duration.ofSeconds(r.plan().stepTimeoutSeconds());
    List<String> problems = new ArrayList<>();
    boolean settled = true;
    for (String id : rollbackIds) {
      RolloutState.StepFacts facts = r.factsOrNull(id);
      if (facts.failed() != null) {
        problems.add(id + " " + facts.problem());
      } else if (facts.applied() == null) {
        if (expired(facts.requested().getEnvelope(), timeout, now)) {
          problems.add(id + " timed out");
        } else {
          settled = false;
        }
      }
    }
    if (!problems.isEmpty()) {
      return List.of(
          transition(r, RolloutTransition.OTHER, RolloutPhase.HALTED, wave)
              .reason("rollback failed: " + String.join("; ", problems))
              .build());
    }
    if (!settled) {
      return List.of();
    }
    RolloutStatusChanged started = r.latest(RolloutTransition.ROLLBACK_STARTED, waveIndex);
    if (!impossibleBefore(started).isEmpty()) {
      // some steps had no recorded revision to return to: the wave is not whole again
      return List.of(
          transition(r, RolloutTransition.OTHER, RolloutPhase.HALTED, wave)
              .reason(
                  rollbackIds.size() + " steps undone; " + impossibleBefore(started) + ": halted")
              .build());
    }
    return List.of(
        transition(r, RolloutTransition.ROLLED_BACK, RolloutPhase.ROLLED_BACK, wave)
            .reason(rollbackIds.size() + " steps undone")
            .build());
  }

  private static String impossibleBefore(RolloutStatusChanged started) {
    if (started == null) {
      return "";
    }
    int at = started.getReason().indexOf("no recorded revision");
    return at < 0 ? "" : started.getReason().substring(at);
  }

  /** Halts a rollout that cannot go on, with the reason. */
  public RolloutStatusChanged halt(RolloutState r, String reason) {
    return transition(r, RolloutTransition.OTHER, RolloutPhase.HALTED, null).reason(reason).build();
  }

  /** Refuses a recorded change that cannot become a rollout. */
  public RolloutStatusChanged rejected(DesiredStateChanged change, String reason) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(envelopes.causedBy(change.getEnvelope(), null, null))
        .setStackName(change.getStackName())
        .setTransition(RolloutTransition.REJECTED)
        .setPhase(RolloutPhase.REJECTED)
        .setWaveIndex(null)
        .setClusters(List.of())
        .setStepId(null)
        .setReason(reason)
        .setGate(null)
        .setProgress(new RolloutProgress(0, 0, 0, 0, 0, 0, 0))
        .build();
  }

  /** A pause, resume or abort asked for by a person; null when the phase does not allow it. */
  public RolloutStatusChanged command(
      RolloutState r, RolloutTransition command, String actor, String reason) {
    RolloutPhase phase = r.phase();
    if (phase == null || RolloutState.terminal(phase)) {
      return null;
    }
    RolloutPhase next =
        switch (command) {
          case PAUSED -> phase == RolloutPhase.PAUSED ? null : RolloutPhase.PAUSED;
          case RESUMED -> phase == RolloutPhase.PAUSED ? phaseBeforePause(r) : null;
          case ABORTED -> RolloutPhase.ABORTED;
          default -> throw new IllegalArgumentException("not a command: " + command);
        };
    if (next == null) {
      return null;
    }
    EventEnvelope envelope = envelopes.causedBy(r.last().getEnvelope());
    envelope.setActor(actor);
    envelope.setCluster(null);
    envelope.setTenant(null);
    return transition(r, command, next, null).envelope(envelope).reason(reason).build();
  }

  private static RolloutPhase phaseBeforePause(RolloutState r) {
    List<RolloutStatusChanged> all = r.transitions();
    for (int i = all.size() - 1; i >= 0; i--) {
      RolloutPhase p = all.get(i).getPhase();
      if (p != RolloutPhase.PAUSED) {
        return p;
      }
    }
    return RolloutPhase.PROGRESSING;
  }

  private StepRequested request(
      RolloutState r,
      Plan.Step step,
      StepAction action,
      String stepId,
      String digest,
      StepRequested earlier) {
    if (earlier == null && action == step.action()) {
      return planEvents.stepRequested(r.planned(), step);
    }
    EventEnvelope cause = r.planned().getEnvelope();
    StepRequested.Builder b =
        StepRequested.newBuilder()
            .setEnvelope(envelopes.causedBy(cause, step.cluster(), step.tenant()))
            .setStepId(stepId)
            .setWaveIndex(step.waveIndex())
            .setComponent(step.component())
            .setNamespace(step.namespace())
            .setAction(action)
            .setStackName(r.stack())
            .setDigest(digest);
    if (earlier != null) {
      b.setChart(earlier.getChart())
          .setValues(earlier.getValues())
          .setValuesJson(earlier.getValuesJson())
          .setNamespace(earlier.getNamespace())
          .setComponentType(earlier.getComponentType())
          .setDriver(earlier.getDriver())
          .setDependsOn(earlier.getDependsOn())
          .setOrder(earlier.getOrder())
          .setComponentSpec(earlier.getComponentSpec())
          .setPreviousDigest(step.digest());
    } else {
      // undoing an install: prune what the step applied
      b.setChart(null).setValues(Map.of()).setPreviousDigest(digest);
    }
    return b.build();
  }

  private RolloutStatusChanged gateRequest(RolloutState r, Plan.Wave wave, int attempt) {
    Plan.Gate gate = r.plan().gate();
    List<GateSubject> subjects = new ArrayList<>();
    for (Plan.Step step : stepsOf(r.plan(), wave.index())) {
      RolloutState.StepFacts facts = r.factsOrNull(step.stepId());
      subjects.add(
          GateSubjects.of(
              step,
              facts == null || facts.applied() == null
                  ? List.of()
                  : facts.applied().getResources()));
    }
    GateCriteria criteria =
        GateCriteria.newBuilder()
            .setSoakSeconds(wave.soakSeconds())
            .setRequireHealthy(gate.requireHealthy())
            .setRequireProbes(gate.requireProbes())
            .setMaxBurnRate(gate.maxBurnRate())
            .setOnGateFailure(r.planned().getOnGateFailure())
            .build();
    return transition(r, RolloutTransition.GATE_REQUESTED, RolloutPhase.GATING, wave)
        .gate(new GateRequest(criteria, attempt, subjects))
        .reason(
            "wave "
                + wave.name()
                + " applied and healthy; gate after "
                + wave.soakSeconds()
                + "s soak (attempt "
                + attempt
                + ")")
        .build();
  }

  /** A transition in the making, with the rollout's progress at this point. */
  final class Transition {
    private final RolloutStatusChanged.Builder b;

    Transition(RolloutStatusChanged.Builder b) {
      this.b = b;
    }

    Transition reason(String reason) {
      b.setReason(reason);
      return this;
    }

    Transition stepId(String stepId) {
      b.setStepId(stepId);
      return this;
    }

    Transition gate(GateRequest gate) {
      b.setGate(gate);
      return this;
    }

    Transition envelope(EventEnvelope envelope) {
      b.setEnvelope(envelope);
      return this;
    }

    RolloutStatusChanged build() {
      return b.build();
    }
  }

  private Transition transition(
      RolloutState r, RolloutTransition transition, RolloutPhase phase, Plan.Wave wave) {
    EventEnvelope cause = r.last() == null ? r.planned().getEnvelope() : r.last().getEnvelope();
    EventEnvelope envelope = envelopes.causedBy(cause, null, null);
    envelope.setActor(r.planned().getEnvelope().getActor());
    return new Transition(
        RolloutStatusChanged.newBuilder()
            .setEnvelope(envelope)
            .setStackName(r.stack())
            .setTransition(transition)
            .setPhase(phase)
            .setWaveIndex(wave == null ? null : wave.index())
            .setClusters(wave == null ? List.of() : wave.clusters())
            .setStepId(null)
            .setReason("")
            .setGate(null)
            .setProgress(progress(r, transition == RolloutTransition.WAVE_PROMOTED ? 1 : 0)));
  }

  /** Counts over the planned (forward) steps; rollback steps are not part of the plan. */
  static RolloutProgress progress(RolloutState r, int promotedNow) {
    int requested = 0;
    int applied = 0;
    int healthy = 0;
    int failed = 0;
    for (PlannedStep step : r.plannedSteps()) {
      RolloutState.StepFacts facts = r.factsOrNull(step.getStepId());
      if (facts == null) {
        continue;
      }
      requested += facts.requested() != null ? 1 : 0;
      applied += facts.applied() != null ? 1 : 0;
      healthy += facts.healthy() ? 1 : 0;
      failed += facts.broken() ? 1 : 0;
    }
    int promoted = promotedNow;
    for (PlannedWave w : r.planned().getWaves()) {
      promoted += r.has(RolloutTransition.WAVE_PROMOTED, w.getIndex()) ? 1 : 0;
    }
    return RolloutProgress.newBuilder()
        .setWavesTotal(r.planned().getWaves().size())
        .setWavesPromoted(promoted)
        .setStepsTotal(r.plannedSteps().size())
        .setStepsRequested(requested)
        .setStepsApplied(applied)
        .setStepsHealthy(healthy)
        .setStepsFailed(failed)
        .build();
  }

  private static boolean expired(EventEnvelope requested, Duration timeout, Instant now) {
    return now.isAfter(requested.getOccurredAt().plus(timeout));
  }

  private static List<Plan.Step> stepsOf(Plan plan, int wave) {
    return plan.steps().stream().filter(s -> s.waveIndex() == wave).toList();
  }

  private static boolean started(RolloutState r, List<Plan.Step> steps) {
    for (Plan.Step s : steps) {
      RolloutState.StepFacts facts = r.factsOrNull(s.stepId());
      if (facts != null && facts.requested() != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean healthy(RolloutState r, List<Plan.Step> steps) {
    for (Plan.Step s : steps) {
      RolloutState.StepFacts facts = r.factsOrNull(s.stepId());
      if (facts == null || !facts.healthy()) {
        return false;
      }
    }
    return true;
  }

  /** The steps of the lowest dependency rank that is not healthy yet on this cluster. */
  private static List<Plan.Step> nextRank(RolloutState r, List<Plan.Step> steps) {
    TreeMap<Integer, List<Plan.Step>> ranks = new TreeMap<>();
    steps.forEach(s -> ranks.computeIfAbsent(s.order(), o -> new ArrayList<>()).add(s));
    for (List<Plan.Step> rank : ranks.values()) {
      if (!healthy(r, rank)) {
        return rank;
      }
    }
    return List.of();
  }
}
