package io.stackpilot.planner;

import io.stackpilot.events.ChartRef;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.List;

/** Maps a plan to the events that announce it: one RolloutPlanned, then one StepRequested each. */
final class PlanEvents {
  private final Envelopes envelopes;

  PlanEvents(Envelopes envelopes) {
    this.envelopes = envelopes;
  }

  RolloutPlanned rolloutPlanned(DesiredStateChanged cause, Plan plan) {
    return RolloutPlanned.newBuilder()
        .setEnvelope(envelopes.causedBy(cause.getEnvelope()))
        .setStackName(cause.getStackName())
        .setFindings(cause.getFindings())
        .setSpecRevision(cause.getSpecRevision())
        .setFleetRevision(cause.getFleetRevision())
        .setWaves(
            plan.waves().stream()
                .map(
                    w ->
                        PlannedWave.newBuilder()
                            .setIndex(w.index())
                            .setName(w.name())
                            .setClusters(w.clusters())
                            .setSoakSeconds(w.soakSeconds())
                            .build())
                .toList())
        .setSteps(
            plan.steps().stream()
                .map(
                    s ->
                        PlannedStep.newBuilder()
                            .setStepId(s.stepId())
                            .setWaveIndex(s.waveIndex())
                            .setCluster(s.cluster())
                            .setComponent(s.component())
                            .setOrder(s.order())
                            .setDependsOn(s.dependsOn())
                            .setDigest(s.digest())
                            .build())
                .toList())
        .setOnGateFailure(
            switch (plan.gate().onGateFailure()) {
              case HALT -> GateFailurePolicy.HALT;
              case ROLLBACK_WAVE -> GateFailurePolicy.ROLL_BACK_WAVE;
            })
        .build();
  }

  List<StepRequested> stepsRequested(RolloutPlanned planned, Plan plan) {
    EventEnvelope cause = planned.getEnvelope();
    List<StepRequested> out = new ArrayList<>();
    for (Plan.Step s : plan.steps()) {
      out.add(
          StepRequested.newBuilder()
              .setEnvelope(envelopes.causedBy(cause, s.cluster(), s.tenant()))
              .setStepId(s.stepId())
              .setWaveIndex(s.waveIndex())
              .setComponent(s.component())
              .setNamespace(s.namespace())
              .setAction(StepAction.APPLY)
              .setChart(new ChartRef(s.chartRepository(), s.chartName(), s.chartVersion()))
              .setValues(s.values())
              .setDigest(s.digest())
              .build());
    }
    return out;
  }
}
