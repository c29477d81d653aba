package io.stackpilot.planner.rollout;

import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftMode;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's side of drift: the applier reports live objects that no longer hold the last
 * applied step; whether that is corrected is decided here, by the fleet's drift mode as the stack's
 * latest plan recorded it ({@code spec.drift.mode}: {@code warn} records only, {@code correct}
 * applies the deployed revision again).
 *
 * <p>A correction is one step outside any rollout: the component's current revision, taken from the
 * log ({@link Deployments}), requested again under a new step id, caused by the drift report and in
 * its correlation, so the report, the step, its result and the report that the drift ended read as
 * one story. It waits while a rollout of the stack is going (that rollout owns the clusters), is
 * not made for a report about a step that is no longer the deployed one, and is made once per
 * report: a drift that outlives its correction is reported again by the applier (the correction is
 * a new step) and corrected again.
 *
 * <p>Folded from {@code stackpilot.drift} and {@code stackpilot.steps}; owned by the rollout loop.
 */
final class DriftRepairs {
  /** Who asks for a correction: the planner, by the fleet's policy. */
  static final String ACTOR = "service:planner";

  /** The open drift of each component: its latest report, while that says DRIFTED. */
  private final Map<Deployments.Key, DriftDetected> reports = new HashMap<>();

  /** Open reports a correction was requested for. */
  private final Set<String> corrected = new HashSet<>();

  void onReport(DriftDetected report) {
    DriftDetected replaced =
        report.getStatus() == DriftStatus.DRIFTED
            ? reports.put(keyOf(report), report)
            : reports.remove(keyOf(report));
    if (replaced != null) {
      corrected.remove(replaced.getEnvelope().getEventId());
    }
  }

  /** A step caused by the latest report of its component is that report's correction. */
  void onRequested(StepRequested step) {
    String cause = step.getEnvelope().getCausationId();
    if (cause == null || step.getStackName() == null) {
      return;
    }
    DriftDetected report =
        reports.get(
            new Deployments.Key(
                step.getStackName(), step.getEnvelope().getCluster(), step.getComponent()));
    if (report != null && cause.equals(report.getEnvelope().getEventId())) {
      corrected.add(cause);
    }
  }

  /** The corrections to request now. */
  List<StepRequested> due(Rollouts rollouts, Envelopes envelopes) {
    List<StepRequested> out = new ArrayList<>();
    for (Map.Entry<Deployments.Key, DriftDetected> e : reports.entrySet()) {
      Deployments.Key key = e.getKey();
      DriftDetected report = e.getValue();
      if (corrected.contains(report.getEnvelope().getEventId())
          || modeOf(rollouts.latestPlan(key.stack())) != DriftMode.CORRECT
          || rollouts.activeFor(key.stack(), "", true).isPresent()) {
        continue;
      }
      revisionReported(rollouts.deployments(), key, report)
          .ifPresent(revision -> out.add(correction(revision, report, envelopes)));
    }
    return out;
  }

  /** The deployed revision, if it is still the one the report compared the cluster with. */
  private static Optional<StepRequested> revisionReported(
      Deployments deployments, Deployments.Key key, DriftDetected report) {
    return deployments
        .current(key)
        .filter(d -> d.stepId().equals(report.getStepId()) && d.digest().equals(report.getDigest()))
        .flatMap(d -> deployments.revision(key, d.digest()));
  }

  private static StepRequested correction(
      StepRequested revision, DriftDetected report, Envelopes envelopes) {
    EventEnvelope envelope =
        EventEnvelope.newBuilder(
                envelopes.causedBy(
                    report.getEnvelope(),
                    report.getEnvelope().getCluster(),
                    revision.getEnvelope().getTenant()))
            .setActor(ACTOR)
            .build();
    return StepRequested.newBuilder(revision)
        .setEnvelope(envelope)
        .setStepId(
            envelope.getCorrelationId()
                + "/"
                + envelope.getCluster()
                + "/"
                + revision.getComponent())
        .setAction(StepAction.APPLY)
        .setPreviousDigest(revision.getDigest())
        .build();
  }

  private static DriftMode modeOf(RolloutPlanned plan) {
    return plan == null ? DriftMode.WARN : plan.getDriftMode();
  }

  private static Deployments.Key keyOf(DriftDetected report) {
    return new Deployments.Key(
        report.getStackName(), report.getEnvelope().getCluster(), report.getComponent());
  }
}
