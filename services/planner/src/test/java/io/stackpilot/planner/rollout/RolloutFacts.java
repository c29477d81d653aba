package io.stackpilot.planner.rollout;

import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.runtime.Envelopes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The facts the other services would write about a rollout, made by hand and folded as the loop
 * folds them: a recorded change and its plan, a step applied and verified healthy, a gate decided.
 */
final class RolloutFacts {
  private final Envelopes envelopes;
  private final Rollouts rollouts;

  RolloutFacts(Envelopes envelopes, Rollouts rollouts) {
    this.envelopes = envelopes;
    this.rollouts = rollouts;
  }

  /** A desired-state change of {@code stack} by user:alice, recorded as rollout {@code id}. */
  DesiredStateChanged change(String rolloutId, String stack) {
    return DesiredStateChanged.newBuilder()
        .setEnvelope(envelopes.root("user:alice", rolloutId))
        .setStackName(stack)
        .setSpecRevision("s")
        .setFleetRevision("f")
        .setReason("test")
        .setStackSpec("")
        .setFleetSpec("")
        .build();
  }

  /** Records the change and its plan, as the loop does when it plans; returns the rollout. */
  RolloutState planned(DesiredStateChanged change, Plan plan) {
    rollouts.fold(change);
    RolloutState r = rollouts.get(change.getEnvelope().getCorrelationId()).orElseThrow();
    r.plan(plan);
    rollouts.fold(new PlanEvents(envelopes).rolloutPlanned(change, plan));
    return r;
  }

  /** The step was applied and verified healthy. */
  void healthy(StepRequested step) {
    EventEnvelope env = envelopes.causedBy(step.getEnvelope());
    rollouts.fold(
        StepApplied.newBuilder()
            .setEnvelope(env)
            .setStepId(step.getStepId())
            .setComponent(step.getComponent())
            .setDigest(step.getDigest())
            .setResources(List.of())
            .setDurationMillis(1)
            .build());
    rollouts.fold(
        ComponentVerified.newBuilder()
            .setEnvelope(envelopes.causedBy(env))
            .setStepId(step.getStepId())
            .setComponent(step.getComponent())
            .setDigest(step.getDigest())
            .setHealth(HealthStatus.HEALTHY)
            .setReason("ok")
            .build());
  }

  /** The verifier's answer to the rollout's last gate request. */
  void decide(RolloutState r, int wave, GateDecision decision) {
    rollouts.fold(
        GateDecided.newBuilder()
            .setEnvelope(envelopes.causedBy(r.last().getEnvelope()))
            .setWaveIndex(wave)
            .setClusters(List.of())
            .setDecision(decision)
            .build());
  }

  /**
   * Drives the rollout to its end at {@code now}: every requested step applied and healthy, every
   * gate answered {@code decision}; each requested step is handed to {@code requested} first.
   *
   * @return the steps requested, in order
   */
  List<StepRequested> drive(
      Reconciler reconciler,
      RolloutState r,
      Instant now,
      GateDecision decision,
      Consumer<StepRequested> requested) {
    List<StepRequested> steps = new ArrayList<>();
    for (int tick = 0; tick < 30 && !RolloutState.terminal(phaseOrStart(r)); tick++) {
      for (SpecificRecord e : reconciler.next(r, rollouts.deployments(), now)) {
        rollouts.fold(e);
        if (e instanceof StepRequested s) {
          steps.add(s);
          requested.accept(s);
          healthy(s);
        }
      }
      if (r.phase() == RolloutPhase.GATING) {
        decide(r, r.last().getWaveIndex(), decision);
      }
    }
    return steps;
  }

  private static RolloutPhase phaseOrStart(RolloutState r) {
    return r.phase() == null ? RolloutPhase.PROGRESSING : r.phase();
  }
}
