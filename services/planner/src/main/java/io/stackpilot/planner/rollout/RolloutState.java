package io.stackpilot.planner.rollout;

import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rollout as the log tells it: the change that started it, its plan, what happened to each
 * step, the gate decisions, and every transition the orchestrator recorded. Folding is idempotent
 * (a fact read twice counts once), so the live loop can fold what it writes and read it back.
 */
public final class RolloutState {
  /** What the log says about one step (forward or rollback). */
  public static final class StepFacts {
    StepRequested requested;
    StepApplied applied;
    StepFailed failed;
    ComponentVerified verdict;
    boolean timedOut;

    public StepRequested requested() {
      return requested;
    }

    public StepApplied applied() {
      return applied;
    }

    public StepFailed failed() {
      return failed;
    }

    public ComponentVerified verdict() {
      return verdict;
    }

    public boolean timedOut() {
      return timedOut;
    }

    boolean healthy() {
      return verdict != null && verdict.getHealth() == HealthStatus.HEALTHY;
    }

    /** Failed, timed out, or verified in a state that will not heal by waiting. */
    boolean broken() {
      if (failed != null || timedOut) {
        return true;
      }
      return verdict != null
          && verdict.getHealth() != HealthStatus.HEALTHY
          && verdict.getHealth() != HealthStatus.PROGRESSING;
    }

    String problem() {
      if (failed != null) {
        return failed.getReason() + ": " + failed.getMessage();
      }
      if (timedOut) {
        return "timed out";
      }
      return verdict == null ? "" : verdict.getHealth() + ": " + verdict.getReason();
    }
  }

  private final String rolloutId;
  private DesiredStateChanged change;
  private RolloutPlanned planned;
  private Plan plan;
  private final Map<String, StepFacts> steps = new LinkedHashMap<>();
  private final List<RolloutStatusChanged> transitions = new ArrayList<>();
  private final Set<String> transitionIds = new HashSet<>();
  private final Map<Integer, GateDecided> decisions = new HashMap<>();

  RolloutState(String rolloutId) {
    this.rolloutId = rolloutId;
  }

  public String rolloutId() {
    return rolloutId;
  }

  public String stack() {
    if (planned != null) {
      return planned.getStackName();
    }
    if (change != null) {
      return change.getStackName();
    }
    return transitions.isEmpty() ? null : transitions.get(0).getStackName();
  }

  public DesiredStateChanged change() {
    return change;
  }

  public RolloutPlanned planned() {
    return planned;
  }

  /** The full plan with every step's content; present while the rollout may still act. */
  public Plan plan() {
    return plan;
  }

  public List<RolloutStatusChanged> transitions() {
    return List.copyOf(transitions);
  }

  public Map<String, StepFacts> steps() {
    return steps;
  }

  public GateDecided decision(int wave) {
    return decisions.get(wave);
  }

  /** The phase after the last transition; null before the orchestrator recorded any. */
  public RolloutPhase phase() {
    return transitions.isEmpty() ? null : transitions.get(transitions.size() - 1).getPhase();
  }

  public RolloutStatusChanged last() {
    return transitions.isEmpty() ? null : transitions.get(transitions.size() - 1);
  }

  /** Whether it can still act: not finished, halted, aborted or refused. */
  public boolean active() {
    RolloutPhase phase = phase();
    if (phase == null) {
      return change != null || planned != null;
    }
    return !terminal(phase);
  }

  public static boolean terminal(RolloutPhase phase) {
    return switch (phase) {
      case COMPLETED, HALTED, ROLLED_BACK, ABORTED, REJECTED -> true;
      default -> false;
    };
  }

  void onChange(DesiredStateChanged event) {
    if (change == null) {
      change = event;
    }
  }

  void onPlanned(RolloutPlanned event) {
    if (planned == null) {
      planned = event;
    }
  }

  void plan(Plan full) {
    this.plan = full;
  }

  /** Frees what only an active rollout needs: the specs and every step's content. */
  void settle() {
    change = null;
    plan = null;
  }

  void onRequested(StepRequested event) {
    StepFacts facts = facts(event.getStepId());
    if (facts.requested == null) {
      facts.requested = event;
    }
  }

  void onApplied(StepApplied event) {
    StepFacts facts = facts(event.getStepId());
    if (facts.applied == null) {
      facts.applied = event;
    }
  }

  void onFailed(StepFailed event) {
    StepFacts facts = facts(event.getStepId());
    if (facts.failed == null) {
      facts.failed = event;
    }
  }

  void onVerified(ComponentVerified event) {
    facts(event.getStepId()).verdict = event;
  }

  void onDecided(GateDecided event) {
    decisions.putIfAbsent(event.getWaveIndex(), event);
  }

  /**
   * @return false when this transition was folded before
   */
  boolean onTransition(RolloutStatusChanged event) {
    if (!transitionIds.add(event.getEnvelope().getEventId())) {
      return false;
    }
    transitions.add(event);
    if (event.getTransition() == RolloutTransition.STEP_TIMED_OUT && event.getStepId() != null) {
      facts(event.getStepId()).timedOut = true;
    }
    return true;
  }

  StepFacts facts(String stepId) {
    return steps.computeIfAbsent(stepId, id -> new StepFacts());
  }

  StepFacts factsOrNull(String stepId) {
    return steps.get(stepId);
  }

  /** The planned steps, as recorded (content-free). */
  List<PlannedStep> plannedSteps() {
    return planned == null ? List.of() : planned.getSteps();
  }

  /** Whether a transition of this kind was recorded for the wave. */
  boolean has(RolloutTransition transition, Integer wave) {
    for (RolloutStatusChanged t : transitions) {
      if (t.getTransition() == transition && (wave == null || wave.equals(t.getWaveIndex()))) {
        return true;
      }
    }
    return false;
  }

  /** The latest transition of this kind for the wave, or null. */
  RolloutStatusChanged latest(RolloutTransition transition, Integer wave) {
    for (int i = transitions.size() - 1; i >= 0; i--) {
      RolloutStatusChanged t = transitions.get(i);
      if (t.getTransition() == transition && (wave == null || wave.equals(t.getWaveIndex()))) {
        return t;
      }
    }
    return null;
  }
}
