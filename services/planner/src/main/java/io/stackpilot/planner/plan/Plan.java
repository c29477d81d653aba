package io.stackpilot.planner.plan;

import io.stackpilot.events.ComponentChange;
import io.stackpilot.events.DriftMode;
import io.stackpilot.events.StepAction;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.RenderDriver;
import io.stackpilot.planner.spec.RolloutGateFailure;
import java.util.List;
import java.util.Map;

/**
 * A rollout plan: waves of clusters, per cluster the components in dependency order, and the gate
 * every wave must pass before the next starts.
 */
public record Plan(
    List<Wave> waves,
    List<Step> steps,
    Gate gate,
    int stepTimeoutSeconds,
    int gateTimeoutSeconds,
    DriftMode driftMode) {

  /** A plan gated by the defaults: healthy components required, halt on failure. */
  public Plan(List<Wave> waves, List<Step> steps) {
    this(waves, steps, Gate.DEFAULT);
  }

  /** A plan with the default step and gate timeouts. */
  public Plan(List<Wave> waves, List<Step> steps, Gate gate) {
    this(
        waves,
        steps,
        gate,
        FleetSpec.Rollout.DEFAULT_STEP_TIMEOUT_SECONDS,
        FleetSpec.Rollout.DEFAULT_GATE_TIMEOUT_SECONDS,
        DriftMode.WARN);
  }

  /**
   * Clusters rolled out together, then soaked and gated; at most {@code maxUnavailable} of them are
   * being changed at once.
   */
  public record Wave(
      int index, String name, List<String> clusters, int soakSeconds, int maxUnavailable) {

    /** A wave whose clusters may all be changed at once. */
    public Wave(int index, String name, List<String> clusters, int soakSeconds) {
      this(index, name, clusters, soakSeconds, clusters.size());
    }
  }

  /**
   * What must hold after a wave's soak: healthy components, passing probes, a burn rate at most
   * {@code maxBurnRate} (null: not gated on it); and what a failure does.
   */
  public record Gate(
      boolean requireHealthy,
      boolean requireProbes,
      Double maxBurnRate,
      RolloutGateFailure onGateFailure) {
    public static final Gate DEFAULT = new Gate(true, false, null, RolloutGateFailure.HALT);
  }

  /**
   * One component on one cluster, with everything the applier needs, its digest, and what it
   * changes against the current state ({@link PlanDiff}); a full plan installs everything. {@code
   * values} is the flattened, readable form (and what the digest covers); {@code valuesJson} the
   * same values typed, as canonical JSON (null for a prune).
   */
  public record Step(
      String stepId,
      int waveIndex,
      String cluster,
      String tenant,
      String component,
      String namespace,
      int order,
      List<String> dependsOn,
      String chartRepository,
      String chartName,
      String chartVersion,
      Map<String, String> values,
      String valuesJson,
      String digest,
      ComponentChange change,
      String previousDigest,
      StepAction action,
      Render render) {

    /** A step that installs, without render inputs (tests of ordering and diffs). */
    public Step(
        String stepId,
        int waveIndex,
        String cluster,
        String tenant,
        String component,
        String namespace,
        int order,
        List<String> dependsOn,
        String chartRepository,
        String chartName,
        String chartVersion,
        Map<String, String> values,
        String digest) {
      this(
          stepId,
          waveIndex,
          cluster,
          tenant,
          component,
          namespace,
          order,
          dependsOn,
          chartRepository,
          chartName,
          chartVersion,
          values,
          null,
          digest,
          (Render) null);
    }

    /** A step that installs: what every step of a plan is before it is diffed. */
    public Step(
        String stepId,
        int waveIndex,
        String cluster,
        String tenant,
        String component,
        String namespace,
        int order,
        List<String> dependsOn,
        String chartRepository,
        String chartName,
        String chartVersion,
        Map<String, String> values,
        String valuesJson,
        String digest,
        Render render) {
      this(
          stepId,
          waveIndex,
          cluster,
          tenant,
          component,
          namespace,
          order,
          dependsOn,
          chartRepository,
          chartName,
          chartVersion,
          values,
          valuesJson,
          digest,
          ComponentChange.INSTALL,
          null,
          StepAction.APPLY,
          render);
    }

    Step against(ComponentChange newChange, String previous, int wave) {
      return new Step(
          stepId,
          wave,
          cluster,
          tenant,
          component,
          namespace,
          order,
          dependsOn,
          chartRepository,
          chartName,
          chartVersion,
          values,
          valuesJson,
          digest,
          newChange,
          previous,
          action,
          render);
    }
  }

  /**
   * What the applier needs beyond chart and values to render a component: its type, its driver, and
   * its typed settings as JSON (Secret references only).
   */
  public record Render(String componentType, RenderDriver driver, String componentSpec) {}
}
