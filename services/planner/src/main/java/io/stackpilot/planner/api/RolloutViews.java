package io.stackpilot.planner.api;

import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.rollout.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rollouts as the API shows them; built on the rollout loop's thread from its state. */
public final class RolloutViews {
  private RolloutViews() {}

  /** A rollout's status: phase, progress, waves, steps and every transition. */
  public record Status(
      String rolloutId,
      String stack,
      String phase,
      String reason,
      String actor,
      Instant startedAt,
      Instant updatedAt,
      Progress progress,
      List<Wave> waves,
      List<Step> steps,
      List<Transition> transitions) {}

  /** A line of `rollout ls`. */
  public record Summary(
      String rolloutId, String stack, String phase, Progress progress, Instant updatedAt) {}

  /** Counts over the planned steps. */
  public record Progress(
      int wavesTotal,
      int wavesPromoted,
      int stepsTotal,
      int stepsRequested,
      int stepsApplied,
      int stepsHealthy,
      int stepsFailed) {
    static Progress of(RolloutProgress p) {
      return p == null
          ? new Progress(0, 0, 0, 0, 0, 0, 0)
          : new Progress(
              p.getWavesTotal(),
              p.getWavesPromoted(),
              p.getStepsTotal(),
              p.getStepsRequested(),
              p.getStepsApplied(),
              p.getStepsHealthy(),
              p.getStepsFailed());
    }
  }

  /** A wave and where it is. */
  public record Wave(int index, String name, List<String> clusters, String state) {}

  /** A step (planned, or a rollback) and what happened to it. */
  public record Step(
      String stepId,
      int wave,
      String cluster,
      String component,
      String change,
      String action,
      String state,
      String digest,
      String detail) {}

  /** One recorded transition. */
  public record Transition(
      String transition, String phase, Integer wave, String reason, String actor, Instant at) {}

  public static Status status(RolloutState r) {
    RolloutStatusChanged last = r.last();
    List<Transition> transitions =
        r.transitions().stream()
            .map(
                t ->
                    new Transition(
                        t.getTransition().name(),
                        t.getPhase().name(),
                        t.getWaveIndex(),
                        t.getReason(),
                        t.getEnvelope().getActor(),
                        t.getEnvelope().getOccurredAt()))
            .toList();
    List<Wave> waves = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    Instant startedAt = null;
    String actor = null;
    if (r.planned() != null) {
      startedAt = r.planned().getEnvelope().getOccurredAt();
      actor = r.planned().getEnvelope().getActor();
      for (PlannedWave w : r.planned().getWaves()) {
        waves.add(new Wave(w.getIndex(), w.getName(), w.getClusters(), waveState(r, w.getIndex())));
      }
      for (PlannedStep s : r.planned().getSteps()) {
        steps.add(
            step(
                r,
                s.getStepId(),
                s.getWaveIndex(),
                s.getCluster(),
                s.getComponent(),
                s.getChange().name(),
                s.getDigest()));
      }
    }
    for (Map.Entry<String, RolloutState.StepFacts> e : r.steps().entrySet()) {
      StepRequested requested = e.getValue().requested();
      if (requested != null && e.getKey().endsWith("/rollback")) {
        steps.add(
            step(
                r,
                e.getKey(),
                requested.getWaveIndex(),
                requested.getEnvelope().getCluster(),
                requested.getComponent(),
                "ROLLBACK",
                requested.getDigest()));
      }
    }
    return new Status(
        r.rolloutId(),
        r.stack(),
        phase(r),
        last == null ? "" : last.getReason(),
        actor,
        startedAt,
        last == null ? startedAt : last.getEnvelope().getOccurredAt(),
        Progress.of(last == null ? null : last.getProgress()),
        waves,
        steps,
        transitions);
  }

  public static Summary summary(RolloutState r) {
    RolloutStatusChanged last = r.last();
    return new Summary(
        r.rolloutId(),
        r.stack(),
        phase(r),
        Progress.of(last == null ? null : last.getProgress()),
        last == null ? null : last.getEnvelope().getOccurredAt());
  }

  private static String phase(RolloutState r) {
    RolloutPhase phase = r.phase();
    return phase == null ? "PENDING" : phase.name();
  }

  private static Step step(
      RolloutState r,
      String stepId,
      int wave,
      String cluster,
      String component,
      String change,
      String digest) {
    RolloutState.StepFacts f = r.steps().get(stepId);
    String state = "PENDING";
    String detail = "";
    String action = "APPLY";
    if (f != null && f.requested() != null) {
      action = f.requested().getAction().name();
      state = "REQUESTED";
      if (f.applied() != null) {
        state = "APPLIED";
      }
      if (f.verdict() != null) {
        detail = f.verdict().getHealth() + ": " + f.verdict().getReason();
        switch (f.verdict().getHealth()) {
          case HEALTHY -> state = "HEALTHY";
          case PROGRESSING -> {}
          default -> state = "FAILED";
        }
      }
      if (f.failed() != null) {
        state = "FAILED";
        detail = f.failed().getReason() + ": " + f.failed().getMessage();
      }
      if (f.timedOut()) {
        state = "TIMED_OUT";
      }
    }
    return new Step(stepId, wave, cluster, component, change, action, state, digest, detail);
  }

  private static String waveState(RolloutState r, int wave) {
    String state = "PENDING";
    for (RolloutStatusChanged t : r.transitions()) {
      if (t.getWaveIndex() == null || t.getWaveIndex() != wave) {
        continue;
      }
      state =
          switch (t.getTransition()) {
            case WAVE_STARTED, STEP_TIMED_OUT, STEP_FAILED -> "RUNNING";
            case GATE_REQUESTED -> "GATING";
            case WAVE_PROMOTED -> "PROMOTED";
            case WAVE_FAILED, GATE_TIMED_OUT, OTHER ->
                t.getPhase() == RolloutPhase.ROLLING_BACK ? "ROLLING_BACK" : "FAILED";
            case ROLLBACK_STARTED -> "ROLLING_BACK";
            case ROLLED_BACK -> "ROLLED_BACK";
            default -> state;
          };
    }
    return state;
  }

  static boolean isCommand(RolloutTransition t) {
    return t == RolloutTransition.PAUSED
        || t == RolloutTransition.RESUMED
        || t == RolloutTransition.ABORTED;
  }
}
