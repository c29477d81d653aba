package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.BurnRateWindow;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.verifier.slo.SloEvaluator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The burn-rate side of a gate: it fails only when the page pair burns faster than allowed in both
 * windows, as the page alert would fire; equal to the limit passes; no traffic burns nothing.
 */
class GateChecksTest {
  static final EventEnvelope ENVELOPE =
      new Envelopes("verifier", Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC))
          .root("service:verifier", "slo/c/s/availability");

  @Test
  void aGateFailsOnlyWhenBothPageWindowsBurnAboveTheLimit() {
    assertThat(burn(15.0, 15.2, 14.4).getPassed()).isFalse();
    assertThat(burn(15.0, 15.2, 14.4).getDetail())
        .startsWith("burn rate 15.00x over 1h and 15.20x over 5m, gate allows 14.4x; 50.0%");
    // a short spike alone, or a long burn already over, does not
    assertThat(burn(3.0, 40.0, 14.4).getPassed()).isTrue();
    assertThat(burn(20.0, 2.0, 14.4).getPassed()).isTrue();
    // at the limit is allowed: the alert fires above its factor
    assertThat(burn(14.4, 14.4, 14.4).getPassed()).isTrue();
    assertThat(burn(14.41, 14.41, 14.4).getPassed()).isFalse();
    // a stricter gate than the page alert
    assertThat(burn(3.0, 3.5, 2.0).getPassed()).isFalse();
  }

  @Test
  void noTrafficBurnsNothing() {
    GateEvidence quiet = burn(Double.NaN, Double.NaN, 14.4);

    assertThat(quiet.getPassed()).isTrue();
    assertThat(quiet.getDetail())
        .startsWith("burn rate none (no traffic) over 1h and none (no traffic) over 5m");
    assertThat(quiet.getEvidenceEventId()).isEqualTo(ENVELOPE.getEventId());
  }

  @Test
  void queriesAreMadePerClusterAndTenant() {
    assertThat(
            SloMeasurements.perCluster(
                "sum(rate(x{cluster=\"{{.cluster}}\",tenant=\"{{.tenant}}\"}[{{.window}}]))",
                new SloEvaluator.Subject("stack", "edge-1", "team-a", "sloth")))
        .isEqualTo("sum(rate(x{cluster=\"edge-1\",tenant=\"team-a\"}[{{.window}}]))");
  }

  private static GateEvidence burn(double longRate, double shortRate, double max) {
    SloEvaluated evaluated =
        SloEvaluated.newBuilder()
            .setEnvelope(ENVELOPE)
            .setSlo("availability")
            .setComponent("sloth")
            .setObjective(0.999)
            .setWindows(
                List.of(
                    window("6h", "30m", 6, 1, 1), window("1h", "5m", 14.4, longRate, shortRate)))
            .setErrorBudgetRemaining(Double.isNaN(longRate) ? Double.NaN : 0.5)
            .build();
    return GateChecks.burn("c/sloth/availability", evaluated, max);
  }

  private static BurnRateWindow window(
      String longWindow, String shortWindow, double threshold, double longRate, double shortRate) {
    return BurnRateWindow.newBuilder()
        .setSeverity("page")
        .setLongWindow(longWindow)
        .setShortWindow(shortWindow)
        .setThreshold(threshold)
        .setLongBurnRate(longRate)
        .setShortBurnRate(shortRate)
        .setFiring(longRate > threshold && shortRate > threshold)
        .build();
  }
}
