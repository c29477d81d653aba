package io.stackpilot.planner.rollout;

import io.stackpilot.events.ChartRef;
import io.stackpilot.events.DeployedComponent;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiff;
import io.stackpilot.planner.spec.RenderDriver;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps a plan to the event that announces it, and baselines to and from their recorded form. */
public final class PlanEvents {
  private final Envelopes envelopes;

  public PlanEvents(Envelopes envelopes) {
    this.envelopes = envelopes;
  }

  public RolloutPlanned rolloutPlanned(DesiredStateChanged cause, Plan plan) {
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
                            .setMaxUnavailable(w.maxUnavailable())
                            .build())
                .toList())
        .setSteps(plan.steps().stream().map(PlanEvents::planned).toList())
        .setOnGateFailure(policy(plan))
        .setStepTimeoutSeconds(plan.stepTimeoutSeconds())
        .setDriftMode(plan.driftMode())
        .setGate(
            GateCriteria.newBuilder()
                .setSoakSeconds(plan.waves().isEmpty() ? 0 : plan.waves().get(0).soakSeconds())
                .setRequireHealthy(plan.gate().requireHealthy())
                .setRequireProbes(plan.gate().requireProbes())
                .setMaxBurnRate(plan.gate().maxBurnRate())
                .setOnGateFailure(policy(plan))
                .build())
        .build();
  }

  /**
   * The request of one planned step, caused by the plan: what the rollout loop writes when the
   * step's turn comes (and what the planning benchmark writes for every step at once).
   */
  public StepRequested stepRequested(RolloutPlanned planned, Plan.Step s) {
    return StepRequested.newBuilder()
        .setEnvelope(envelopes.causedBy(planned.getEnvelope(), s.cluster(), s.tenant()))
        .setStepId(s.stepId())
        .setWaveIndex(s.waveIndex())
        .setComponent(s.component())
        .setNamespace(s.namespace())
        .setAction(s.action())
        .setStackName(planned.getStackName())
        .setChart(
            s.chartName() == null
                ? null
                : new ChartRef(s.chartRepository(), s.chartName(), s.chartVersion()))
        .setValues(s.values())
        .setValuesJson(s.valuesJson())
        .setDigest(s.digest())
        .setPreviousDigest(s.previousDigest())
        .setDependsOn(s.dependsOn())
        .setOrder(s.order())
        .setComponentType(s.render() == null ? null : s.render().componentType())
        .setDriver(s.render() == null ? null : driver(s.render().driver()))
        .setComponentSpec(s.render() == null ? null : s.render().componentSpec())
        .build();
  }

  private static io.stackpilot.events.RenderDriver driver(RenderDriver driver) {
    return io.stackpilot.events.RenderDriver.valueOf(driver.name());
  }

  /** Every step's request at once: for the benchmark's publish-everything baseline. */
  public List<StepRequested> stepsRequested(RolloutPlanned planned, Plan plan) {
    return plan.steps().stream().map(s -> stepRequested(planned, s)).toList();
  }

  private static PlannedStep planned(Plan.Step s) {
    return PlannedStep.newBuilder()
        .setStepId(s.stepId())
        .setWaveIndex(s.waveIndex())
        .setCluster(s.cluster())
        .setComponent(s.component())
        .setOrder(s.order())
        .setDependsOn(s.dependsOn())
        .setDigest(s.digest())
        .setChange(s.change())
        .setPreviousDigest(s.previousDigest())
        .build();
  }

  private static GateFailurePolicy policy(Plan plan) {
    return switch (plan.gate().onGateFailure()) {
      case HALT -> GateFailurePolicy.HALT;
      case ROLLBACK_WAVE -> GateFailurePolicy.ROLL_BACK_WAVE;
    };
  }

  /** A baseline as a desired-state change records it. */
  public static List<DeployedComponent> record(Map<String, Map<String, PlanDiff.Deployed>> base) {
    List<DeployedComponent> out = new ArrayList<>();
    base.forEach(
        (cluster, components) ->
            components.forEach(
                (component, d) ->
                    out.add(
                        DeployedComponent.newBuilder()
                            .setCluster(cluster)
                            .setComponent(component)
                            .setDigest(d.digest())
                            .setChartVersion(d.chartVersion())
                            .setNamespace(d.namespace())
                            .build())));
    return out;
  }

  /** The baseline a desired-state change recorded. */
  public static Map<String, Map<String, PlanDiff.Deployed>> baselineOf(DesiredStateChanged change) {
    Map<String, Map<String, PlanDiff.Deployed>> out = new TreeMap<>();
    for (DeployedComponent d : change.getBaseline()) {
      out.computeIfAbsent(d.getCluster(), c -> new TreeMap<>())
          .put(
              d.getComponent(),
              new PlanDiff.Deployed(d.getDigest(), d.getChartVersion(), d.getNamespace()));
    }
    return out;
  }
}
