package io.stackpilot.planner.spec;

/**
 * What must hold after a wave's soak before the next wave starts: healthy components (default
 * true), passing probes (default false), and an SLO burn rate at most {@code maxBurnRate} (absent:
 * not gated on burn rate).
 */
public record RolloutGates(Boolean requireHealthy, Boolean requireProbes, Double maxBurnRate) {
  public static final RolloutGates DEFAULT = new RolloutGates(null, null, null);

  public boolean healthyRequired() {
    return requireHealthy == null || requireHealthy;
  }

  public boolean probesRequired() {
    return requireProbes != null && requireProbes;
  }
}
