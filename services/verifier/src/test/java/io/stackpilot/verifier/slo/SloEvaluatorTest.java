package io.stackpilot.verifier.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An SLO's evaluation as events: burn rates per window, the budget, and alerts that change. */
class SloEvaluatorTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final Duration DAYS_30 = Duration.ofDays(30);
  final SloEvaluator evaluator =
      new SloEvaluator(new Envelopes("verifier", Clock.fixed(T0, ZoneOffset.UTC)));
  final SloEvaluator.Subject subject =
      new SloEvaluator.Subject("observability", "perso", "perso", "sloth");
  final SloEvaluator.Slo slo =
      new SloEvaluator.Slo(
          "app-availability",
          "myapp",
          99.9,
          "sum(rate(errors[{{.window}}]))",
          "sum(rate(total[{{.window}}]))",
          "MyAppHighErrorBudgetBurn");

  @Test
  void aFastBurnRecordsItsWindowsAndFiresThePageOnce() {
    SloEvaluator.Outcome outcome =
        evaluator.evaluate(subject, slo, ratios(0.015, 0.0005), DAYS_30, Map.of(), T0);

    SloEvaluated evaluated = outcome.evaluated();
    assertThat(evaluated.getEnvelope().getCluster()).isEqualTo("perso");
    assertThat(evaluated.getEnvelope().getActor()).isEqualTo("service:verifier");
    assertThat(evaluated.getEnvelope().getCorrelationId())
        .isEqualTo("slo/perso/observability/app-availability");
    assertThat(evaluated.getObjective()).isEqualTo(0.999);
    assertThat(evaluated.getPeriodDays()).isEqualTo(30);
    assertThat(evaluated.getWindows())
        .extracting(
            w ->
                w.getSeverity()
                    + " "
                    + w.getLongWindow()
                    + "/"
                    + w.getShortWindow()
                    + " "
                    + w.getThreshold()
                    + " "
                    + w.getFiring())
        .containsExactly(
            "page 1h/5m 14.4 true",
            "page 6h/30m 6.0 false",
            "ticket 1d/2h 3.0 false",
            "ticket 3d/6h 1.0 false");
    assertThat(evaluated.getErrorBudgetRemaining()).isEqualTo(0.5);

    assertThat(outcome.alerts()).hasSize(1);
    AlertStatusChanged page = outcome.alerts().get(0);
    assertThat(page.getStatus()).isEqualTo(AlertStatus.FIRING);
    assertThat(page.getLabels())
        .containsEntry("alertname", "MyAppHighErrorBudgetBurn")
        .containsEntry("severity", "page")
        .containsEntry("sloth_slo", "app-availability")
        .containsEntry("cluster", "perso");
    assertThat(page.getFingerprint()).isEqualTo(AlertFingerprint.of(page.getLabels()));
    assertThat(page.getEnvelope().getCausationId()).isEqualTo(evaluated.getEnvelope().getEventId());
    assertThat(page.getAnnotations().get("summary"))
        .isEqualTo("myapp app-availability burns its 0.1% error budget 15.00x over 1h");
    assertThat(page.getStartsAt()).isEqualTo(T0);
    assertThat(page.getEndsAt()).isNull();

    Map<String, AlertStatusChanged> firing = Map.of(page.getFingerprint(), page);
    assertThat(
            evaluator
                .evaluate(subject, slo, ratios(0.016, 0.0005), DAYS_30, firing, T0.plusSeconds(60))
                .alerts())
        .as("still firing: nothing new to say")
        .isEmpty();

    Instant later = T0.plusSeconds(600);
    AlertStatusChanged resolved =
        evaluator
            .evaluate(subject, slo, ratios(0.0001, 0.0005), DAYS_30, firing, later)
            .alerts()
            .get(0);
    assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(resolved.getFingerprint()).isEqualTo(page.getFingerprint());
    assertThat(resolved.getStartsAt()).isEqualTo(T0);
    assertThat(resolved.getEndsAt()).isEqualTo(later);
  }

  @Test
  void aSlowBurnOpensATicketNotAPage() {
    Map<Duration, Double> r = ratios(0.0005, 0.0005);
    r.put(Duration.ofHours(6), 0.002); // burn 2 > 1 in the 3 d ticket's short window
    r.put(Duration.ofDays(3), 0.0012); // burn 1.2 > 1

    SloEvaluator.Outcome outcome = evaluator.evaluate(subject, slo, r, DAYS_30, Map.of(), T0);

    assertThat(outcome.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.getLabels()).containsEntry("severity", "ticket"));
  }

  /** The 1 h and 5 m windows at {@code fast}, the others at {@code slow}. */
  private static Map<Duration, Double> ratios(double fast, double slow) {
    Map<Duration, Double> r = new HashMap<>();
    BurnRates.windows(DAYS_30).forEach(w -> r.put(w, slow));
    r.put(Duration.ofHours(1), fast);
    r.put(Duration.ofMinutes(5), fast);
    return r;
  }
}
