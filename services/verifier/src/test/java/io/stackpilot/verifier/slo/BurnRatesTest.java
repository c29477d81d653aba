package io.stackpilot.verifier.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The burn-rate maths against figures worked out by hand from the SRE workbook's table ("Alerting
 * on SLOs", multiwindow, multi-burn-rate alerts) for a 99.9 % objective over 30 days.
 */
class BurnRatesTest {
  static final Duration DAYS_30 = Duration.ofDays(30);

  @Test
  void thresholdsAreTheWorkbooksTableFor30Days() {
    // 2 % of the budget in 1 h of 720 h: 0.02 * 720 = 14.4; 5 % in 6 h: 0.05 * 120 = 6;
    // 10 % in 24 h: 0.1 * 30 = 3; 10 % in 72 h: 0.1 * 10 = 1
    assertThat(BurnRates.STANDARD)
        .extracting(a -> a.severity() + " " + a.threshold(DAYS_30))
        .containsExactly("page 14.4", "page 6.0", "ticket 3.0", "ticket 1.0");
    // over 28 days (672 h) the same shares give 13.44, 5.6, 2.8 and 0.9333...
    assertThat(BurnRates.STANDARD.get(0).threshold(Duration.ofDays(28))).isEqualTo(13.44);
    assertThat(BurnRates.STANDARD.get(1).threshold(Duration.ofDays(28))).isEqualTo(5.6);
    assertThat(BurnRates.STANDARD.get(3).threshold(Duration.ofDays(28)))
        .isEqualTo(0.9333333333333333);
  }

  @Test
  void theBurnRateIsTheErrorRatioOverTheBudget() {
    assertThat(BurnRates.burnRate(0.001, 0.999)).isEqualTo(1.0);
    assertThat(BurnRates.burnRate(0.0144, 0.999)).isEqualTo(14.4);
    assertThat(BurnRates.burnRate(1.0, 0.999)).as("a full outage").isEqualTo(1000.0);
    assertThat(BurnRates.burnRate(0.05, 0.99)).isEqualTo(5.0);
    assertThat(BurnRates.burnRate(Double.NaN, 0.999)).as("no events: nothing burnt").isZero();
  }

  @Test
  void aPageFiresOnlyAboveTheThresholdInBothWindows() {
    // 1.5 % errors for the last hour: burn 15 > 14.4 in 1 h and in 5 m
    assertThat(page1h(ratios(0.015, 0.015))).isTrue();
    // exactly 1.44 %: burn 14.4 is not above 14.4 (the workbook's PromQL uses >)
    assertThat(page1h(ratios(0.0144, 0.0144))).isFalse();
    // just above the boundary
    assertThat(page1h(ratios(0.01441, 0.01441))).isTrue();
    // the hour burnt fast but the last 5 minutes are fine: fixed, so the page resets
    assertThat(page1h(ratios(0.015, 0.001))).isFalse();
    // a short spike alone does not page
    assertThat(page1h(ratios(0.001, 0.5))).isFalse();
  }

  @Test
  void eachAlertReadsItsOwnWindows() {
    Map<Duration, Double> r = new HashMap<>();
    r.put(Duration.ofMinutes(5), 0.007);
    r.put(Duration.ofMinutes(30), 0.007);
    r.put(Duration.ofHours(1), 0.007); // burn 7: below 14.4
    r.put(Duration.ofHours(2), 0.007);
    r.put(Duration.ofHours(6), 0.0065); // burn 6.5 > 6, and 7 > 6 in 30 m: page
    r.put(Duration.ofDays(1), 0.0025); // burn 2.5 < 3
    r.put(Duration.ofDays(3), 0.0011); // burn 1.1 > 1, and 7 > 1 in 6 h: ticket
    r.put(DAYS_30, 0.0004);

    List<BurnRates.Evaluated> evaluated = BurnRates.evaluate(r, 0.999, DAYS_30);

    assertThat(evaluated)
        .extracting(e -> e.alert().longWindow() + ":" + e.firing())
        .containsExactly("PT1H:false", "PT6H:true", "PT24H:false", "PT72H:true");
    assertThat(evaluated.get(1).longBurnRate()).isEqualTo(6.5);
    assertThat(evaluated.get(1).shortBurnRate()).isEqualTo(7.0);
    assertThat(evaluated.get(3).longBurnRate()).isEqualTo(1.1);
  }

  @Test
  void theBudgetRemainingIsWhatThePeriodHasNotBurnt() {
    assertThat(BurnRates.budgetRemaining(0.0005, 0.999)).isEqualTo(0.5);
    assertThat(BurnRates.budgetRemaining(0.001, 0.999)).isEqualTo(0.0);
    assertThat(BurnRates.budgetRemaining(0.002, 0.999)).as("overspent").isEqualTo(-1.0);
    assertThat(BurnRates.budgetRemaining(0.0, 0.999)).isEqualTo(1.0);
  }

  @Test
  void theWindowsToMeasureAreEveryAlertsAndThePeriod() {
    assertThat(BurnRates.windows(DAYS_30))
        .containsExactly(
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(3),
            DAYS_30);
  }

  @Test
  void aMissingWindowOrAnImpossibleObjectiveIsRefused() {
    assertThatThrownBy(() -> BurnRates.evaluate(Map.of(), 0.999, DAYS_30))
        .hasMessageContaining("no error ratio measured over PT1H");
    assertThatThrownBy(() -> BurnRates.burnRate(0.1, 1.0))
        .hasMessageContaining("objective must be between 0 and 1");
  }

  private static boolean page1h(Map<Duration, Double> r) {
    return BurnRates.evaluate(r, 0.999, DAYS_30).get(0).firing();
  }

  /** The 1 h and 5 m windows as given, every other window with no errors. */
  private static Map<Duration, Double> ratios(double oneHour, double fiveMinutes) {
    Map<Duration, Double> r = new HashMap<>();
    BurnRates.windows(DAYS_30).forEach(w -> r.put(w, 0.0));
    r.put(Duration.ofHours(1), oneHour);
    r.put(Duration.ofMinutes(5), fiveMinutes);
    return r;
  }
}
