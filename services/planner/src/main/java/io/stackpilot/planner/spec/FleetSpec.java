package io.stackpilot.planner.spec;

import io.stackpilot.events.DriftMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code kind: Fleet}: the clusters a stack rolls out to, which of them, and how progressively. */
public record FleetSpec(String apiVersion, String kind, Metadata metadata, Spec spec) {

  /** Object metadata. */
  public record Metadata(String name) {}

  /**
   * Clusters, the selector choosing which of them get the stack (absent: all of them), the rollout
   * strategy, and what drift on the clusters leads to.
   */
  public record Spec(List<Cluster> clusters, FleetSelector selector, Rollout rollout, Drift drift) {
    public Spec(List<Cluster> clusters, FleetSelector selector, Rollout rollout) {
      this(clusters, selector, rollout, null);
    }

    public List<Cluster> clustersOrEmpty() {
      return clusters == null ? List.of() : clusters;
    }

    /** The drift mode, {@code warn} when the fleet does not say. */
    public DriftMode driftModeOrDefault() {
      return drift == null || drift.mode() == null
          ? DriftMode.WARN
          : Drift.modeOf(drift.mode()).orElse(DriftMode.WARN);
    }
  }

  /**
   * What the applier's drift reports (live objects changed by hand) lead to: {@code warn} records
   * them only; {@code correct} has the planner apply the component's deployed revision again, as
   * Flux's {@code driftDetection.mode: enabled} or Argo CD's {@code selfHeal} do.
   */
  public record Drift(String mode) {
    public static Optional<DriftMode> modeOf(String mode) {
      return switch (mode.toLowerCase(Locale.ROOT)) {
        case "warn" -> Optional.of(DriftMode.WARN);
        case "correct" -> Optional.of(DriftMode.CORRECT);
        default -> Optional.empty();
      };
    }
  }

  /**
   * One cluster: its kubeconfig context, the tenant (X-Scope-OrgID) its telemetry uses, the labels
   * selectors match, and values overriding the stack's for this cluster only, by component name.
   */
  public record Cluster(
      String name,
      String context,
      String tenant,
      Map<String, String> labels,
      Map<String, FleetOverride> overrides) {
    public Map<String, String> labelsOrEmpty() {
      return labels == null ? Map.of() : labels;
    }

    public Map<String, FleetOverride> overridesOrEmpty() {
      return overrides == null ? Map.of() : overrides;
    }
  }

  /**
   * Canary clusters first (by name and/or by selector), then batches of {@code batchSize} clusters
   * (a count or a percentage of the selected clusters), each wave soaked and gated.
   */
  public record Rollout(
      List<String> canary,
      FleetSelector canarySelector,
      RolloutQuantity batchSize,
      RolloutQuantity maxUnavailable,
      Integer soakSeconds,
      RolloutGates gates,
      String onGateFailure,
      Integer stepTimeoutSeconds,
      Integer gateTimeoutSeconds) {
    /** A step not applied and healthy in this time fails its wave: ten minutes by default. */
    public static final int DEFAULT_STEP_TIMEOUT_SECONDS = 600;

    /** A gate not decided this long after its soak is asked again, then halts the rollout. */
    public static final int DEFAULT_GATE_TIMEOUT_SECONDS = 300;

    public int stepTimeoutSecondsOrDefault() {
      return stepTimeoutSeconds == null ? DEFAULT_STEP_TIMEOUT_SECONDS : stepTimeoutSeconds;
    }

    public int gateTimeoutSecondsOrDefault() {
      return gateTimeoutSeconds == null ? DEFAULT_GATE_TIMEOUT_SECONDS : gateTimeoutSeconds;
    }

    public List<String> canaryOrEmpty() {
      return canary == null ? List.of() : canary;
    }

    public int soakSecondsOrZero() {
      return soakSeconds == null ? 0 : soakSeconds;
    }

    public RolloutGates gatesOrDefault() {
      return gates == null ? RolloutGates.DEFAULT : gates;
    }

    /** The declared policy; HALT when absent. Unknown names are the validator's business. */
    public RolloutGateFailure gateFailure() {
      return onGateFailure == null
          ? RolloutGateFailure.HALT
          : RolloutGateFailure.of(onGateFailure).orElse(RolloutGateFailure.HALT);
    }
  }
}
