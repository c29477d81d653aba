package io.stackpilot.planner.rollout;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.FleetRegistered;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The planner's read model, folded from the topics: every rollout, what runs where, and the
 * registered fleets. The same fold serves a restart (read from the beginning) and the live loop
 * (which also folds what it writes, before reading it back). Owned by the orchestrator's loop.
 */
public final class Rollouts {
  private final Map<String, RolloutState> byId = new LinkedHashMap<>();
  private final Map<String, FleetRegistered> fleets = new TreeMap<>();
  private final Deployments deployments = new Deployments(this::stackOf);
  private final Map<String, RolloutPlanned> latestPlans = new HashMap<>();
  private final DriftRepairs drift = new DriftRepairs();

  /** Folds one event; events of other types are ignored. */
  public void fold(SpecificRecord event) {
    String rolloutId = Topic.envelopeOf(event).getCorrelationId();
    if (event instanceof DesiredStateChanged e) {
      state(rolloutId).onChange(e);
    } else if (event instanceof RolloutPlanned e) {
      state(rolloutId).onPlanned(e);
      latestPlans.put(e.getStackName(), e);
    } else if (event instanceof StepRequested e) {
      state(rolloutId).onRequested(e);
      deployments.onRequested(e);
      drift.onRequested(e);
    } else if (event instanceof StepApplied e) {
      state(rolloutId).onApplied(e);
      deployments.onApplied(e);
    } else if (event instanceof StepFailed e) {
      state(rolloutId).onFailed(e);
      deployments.onFailed(e.getStepId());
    } else if (event instanceof ComponentVerified e) {
      if (e.getStepId() != null) {
        state(rolloutId).onVerified(e);
      }
      deployments.onVerified(e);
    } else if (event instanceof GateDecided e) {
      state(rolloutId).onDecided(e);
    } else if (event instanceof RolloutStatusChanged e) {
      RolloutState r = state(rolloutId);
      if (r.onTransition(e) && RolloutState.terminal(e.getPhase())) {
        r.settle();
      }
    } else if (event instanceof FleetRegistered e) {
      fleets.put(e.getFleetName(), e);
    } else if (event instanceof DriftDetected e) {
      drift.onReport(e);
    }
  }

  public Optional<RolloutState> get(String rolloutId) {
    return Optional.ofNullable(byId.get(rolloutId));
  }

  /** Rollouts that may still act, oldest first. */
  public List<RolloutState> active() {
    return byId.values().stream().filter(RolloutState::active).toList();
  }

  /**
   * The rollout of a stack that is still going, other than {@code except}.
   *
   * @param includeRecorded also count a change recorded but not planned yet: a new submission must
   *     wait for it, while planning that change must not count the ones recorded after it
   */
  public Optional<RolloutState> activeFor(String stack, String except, boolean includeRecorded) {
    return byId.values().stream()
        .filter(r -> !r.rolloutId().equals(except))
        .filter(r -> stack.equals(r.stack()))
        .filter(r -> r.active() && (includeRecorded || r.planned() != null || r.phase() != null))
        .findFirst();
  }

  /** Every rollout, newest first. */
  public List<RolloutState> all() {
    List<RolloutState> all = new ArrayList<>(byId.values());
    Collections.reverse(all);
    return all;
  }

  public Deployments deployments() {
    return deployments;
  }

  public Map<String, FleetRegistered> fleets() {
    return fleets;
  }

  /** The stack's newest plan (its drift mode is the one in force), or null. */
  public RolloutPlanned latestPlan(String stack) {
    return latestPlans.get(stack);
  }

  DriftRepairs drift() {
    return drift;
  }

  private String stackOf(String rolloutId) {
    RolloutState r = byId.get(rolloutId);
    return r == null || r.stack() == null ? "" : r.stack();
  }

  private RolloutState state(String rolloutId) {
    return byId.computeIfAbsent(rolloutId, RolloutState::new);
  }
}
