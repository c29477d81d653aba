package io.stackpilot.planner.rollout;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.Admission;
import io.stackpilot.planner.BlockedByRulesException;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiff;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.runtime.Envelopes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the rollout loop does with the state it folded: plans recorded changes (admitting them
 * again, against the baseline they recorded), drives every active rollout through {@link
 * Reconciler}, and carries out what people ask through the API (submit, pause, resume, abort).
 * Every method runs on the loop's thread.
 */
public final class RolloutDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);

  /** Rounds of decisions per tick: enough for a wave to start, request steps and be gated. */
  private static final int ROUNDS_PER_TICK = 20;

  private final Admission admission;
  private final Envelopes envelopes;
  private final PlanEvents planEvents;
  private final Reconciler reconciler;
  private final Map<String, Plan> prepared = new HashMap<>();

  public RolloutDriver(Admission admission, Envelopes envelopes) {
    this.admission = admission;
    this.envelopes = envelopes;
    this.planEvents = new PlanEvents(envelopes);
    this.reconciler = new Reconciler(envelopes);
  }

  /** What became of a submission. */
  public enum Outcome {
    ACCEPTED,
    UNCHANGED,
    CONFLICT,
    DRY_RUN
  }

  /** A submission's outcome, its diff, the change recorded, or the rollout in the way. */
  public record Submitted(
      Outcome outcome, PlanDiff.Diffed diffed, DesiredStateChanged change, String activeRollout) {}

  /** What became of a pause, resume or abort. */
  public record Commanded(RolloutState rollout, RolloutStatusChanged transition) {}

  /** Re-plans the rollouts a restart found still going, so they can act again. */
  void afterRebuild(RolloutOrchestrator loop, Rollouts rollouts) {
    for (RolloutState r : rollouts.active()) {
      if (r.planned() == null || r.plan() != null) {
        continue;
      }
      String problem = replan(r);
      if (problem != null) {
        LOG.error("rollout {} cannot go on: {}", r.rolloutId(), problem);
        loop.publish(List.of(reconciler.halt(r, problem)));
      }
    }
  }

  void act(RolloutOrchestrator loop, Rollouts rollouts, Instant now) {
    for (RolloutState r : rollouts.active()) {
      if (r.change() != null && r.planned() == null && r.phase() == null) {
        planChange(loop, rollouts, r);
      }
    }
    correctDrift(loop, rollouts);
    for (int round = 0; round < ROUNDS_PER_TICK; round++) {
      List<SpecificRecord> next = new ArrayList<>();
      for (RolloutState r : rollouts.active()) {
        next.addAll(reconciler.next(r, rollouts.deployments(), now));
      }
      if (next.isEmpty() || loop.publish(next).isEmpty()) {
        return;
      }
      next.stream()
          .filter(e -> e instanceof RolloutStatusChanged)
          .forEach(e -> LOG.info("{}", RolloutOrchestrator.describe(e)));
    }
  }

  /** Requests the drift corrections the fleets' drift mode asks for ({@link DriftRepairs}). */
  private void correctDrift(RolloutOrchestrator loop, Rollouts rollouts) {
    List<StepRequested> corrections = rollouts.drift().due(rollouts, envelopes);
    for (SpecificRecord written : loop.publish(corrections)) {
      StepRequested step = (StepRequested) written;
      LOG.info(
          "drift on {}: {} applied again by the fleet's drift mode (step {}, caused by report {})",
          step.getEnvelope().getCluster(),
          step.getComponent(),
          step.getStepId(),
          step.getEnvelope().getCausationId());
    }
  }

  /**
   * Diffs an admitted declaration against what the stack runs and, unless it is a dry run, changes
   * nothing, or another rollout of the stack is still going, records it as a desired-state change.
   */
  public Submitted submit(
      RolloutOrchestrator loop,
      Rollouts rollouts,
      Admission.Admitted admitted,
      String rolloutId,
      String actor,
      String reason,
      boolean dryRun) {
    String stack = admitted.declared().stack().metadata().name();
    Plan full = admitted.plan();
    Set<String> targeted =
        full.steps().stream().map(Plan.Step::cluster).collect(Collectors.toSet());
    Map<String, Map<String, PlanDiff.Deployed>> baseline =
        new TreeMap<>(rollouts.deployments().baseline(stack));
    baseline.keySet().retainAll(targeted);
    PlanDiff.Diffed diffed = PlanDiff.diff(full, baseline);
    String active =
        rollouts.activeFor(stack, rolloutId, true).map(RolloutState::rolloutId).orElse(null);
    if (dryRun) {
      return new Submitted(Outcome.DRY_RUN, diffed, null, active);
    }
    if (active != null) {
      return new Submitted(Outcome.CONFLICT, diffed, null, active);
    }
    if (diffed.unchanged() && !driftModeChanges(rollouts, stack, full)) {
      return new Submitted(Outcome.UNCHANGED, diffed, null, null);
    }
    Set<String> changed = new LinkedHashSet<>();
    diffed.entries().forEach(e -> changed.add(e.component()));
    DesiredStateChanged change =
        DesiredStateChanged.newBuilder()
            .setEnvelope(envelopes.root(actor, rolloutId))
            .setStackName(stack)
            .setSpecRevision("sha256:" + RolloutPlanner.sha256(admitted.declared().stackYaml()))
            .setFleetRevision("sha256:" + RolloutPlanner.sha256(admitted.declared().fleetYaml()))
            .setReason(reason)
            .setStackSpec(admitted.declared().stackYaml())
            .setFleetSpec(admitted.declared().fleetYaml())
            .setChangedComponents(List.copyOf(changed))
            .setFindings(admitted.findings())
            .setBaseline(PlanEvents.record(baseline))
            .build();
    prepared.put(rolloutId, diffed.plan());
    if (loop.publish(List.of(change)).isEmpty()) {
      prepared.remove(rolloutId);
      throw new IllegalStateException("the desired-state change could not be written");
    }
    return new Submitted(Outcome.ACCEPTED, diffed, change, null);
  }

  /**
   * Whether the declaration changes the stack's drift mode: a change of policy alone is recorded
   * (as a rollout without steps), so the new mode is in force and on the log.
   */
  private static boolean driftModeChanges(Rollouts rollouts, String stack, Plan declared) {
    var latest = rollouts.latestPlan(stack);
    return latest != null && latest.getDriftMode() != declared.driftMode();
  }

  /** Pauses, resumes or aborts; a null transition when the rollout's phase does not allow it. */
  public Commanded command(
      RolloutOrchestrator loop,
      RolloutState r,
      RolloutTransition command,
      String actor,
      String reason) {
    RolloutStatusChanged transition = reconciler.command(r, command, actor, reason);
    if (transition != null) {
      loop.publish(List.of(transition));
      LOG.info("{} by {}: {}", RolloutOrchestrator.describe(transition), actor, reason);
    }
    return new Commanded(r, transition);
  }

  private void planChange(RolloutOrchestrator loop, Rollouts rollouts, RolloutState r) {
    DesiredStateChanged change = r.change();
    String busy =
        rollouts
            .activeFor(change.getStackName(), r.rolloutId(), false)
            .map(RolloutState::rolloutId)
            .orElse(null);
    if (busy != null) {
      loop.publish(
          List.of(
              reconciler.rejected(
                  change,
                  "rollout " + busy + " of stack " + change.getStackName() + " is active")));
      return;
    }
    Plan plan = prepared.remove(r.rolloutId());
    if (plan == null) {
      try {
        plan = planOf(change);
      } catch (SpecException | BlockedByRulesException e) {
        loop.publish(List.of(reconciler.rejected(change, "not admitted: " + e.getMessage())));
        return;
      }
    }
    r.plan(plan);
    loop.publish(List.of(planEvents.rolloutPlanned(change, plan)));
    LOG.info(
        "planned rollout {} of {}: {} waves, {} steps",
        r.rolloutId(),
        change.getStackName(),
        plan.waves().size(),
        plan.steps().size());
  }

  /** The plan of a recorded change: admitted again, diffed on the baseline it recorded. */
  private Plan planOf(DesiredStateChanged change) {
    Plan full =
        admission
            .admit(
                change.getStackSpec() + "\n---\n" + change.getFleetSpec(),
                change.getEnvelope().getCorrelationId(),
                Admission.recordedIn(change.getFindings()))
            .plan();
    return PlanDiff.diff(full, PlanEvents.baselineOf(change)).plan();
  }

  /**
   * @return why the rollout cannot be re-planned as recorded, or null when it was
   */
  private String replan(RolloutState r) {
    if (r.change() == null) {
      return "its desired-state change is not on the log";
    }
    Plan plan;
    try {
      plan = planOf(r.change());
    } catch (SpecException | BlockedByRulesException e) {
      return "its desired-state change is no longer admitted: " + e.getMessage();
    }
    List<String> recorded =
        r.planned().getSteps().stream().map(s -> s.getStepId() + s.getDigest()).toList();
    List<String> now = plan.steps().stream().map(s -> s.stepId() + s.digest()).toList();
    if (!recorded.equals(now)) {
      return "re-planning gives other steps than the recorded plan (a planner of another version?)";
    }
    r.plan(plan);
    return null;
  }

  static List<String> stepIds(List<PlannedStep> steps) {
    return steps.stream().map(PlannedStep::getStepId).toList();
  }
}
