package io.stackpilot.verifier.slo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multi-window, multi-burn-rate alerting as in the Google SRE workbook ("Alerting on SLOs",
 * approach 6) and Sloth: an alert fires when the error budget burns faster than its threshold over
 * a long window and, to reset quickly once fixed, over a short window too.
 *
 * <p>The burn rate of a window is its error ratio divided by the error budget ({@code 1 -
 * objective}): 1 spends the budget exactly over the period. A threshold is the share of the budget
 * an alert may let burn within its long window: {@code budgetShare * period / longWindow}. For a
 * 30-day period that is the workbook's table: page at 14.4 (2 % in 1 h, short window 5 m) and 6 (5
 * % in 6 h, 30 m); ticket at 3 (10 % in 1 d, 2 h) and 1 (10 % in 3 d, 6 h). The comparison is
 * strict, as in the workbook's and Sloth's PromQL ({@code > 14.4 * (1 - 0.999)}): a burn rate equal
 * to the threshold does not fire. Arithmetic is decimal, so 1.44 % errors against 99.9 % is a burn
 * rate of exactly 14.4, not 14.399999999999999.
 */
public final class BurnRates {
  private static final MathContext MATH = MathContext.DECIMAL64;

  private BurnRates() {}

  /** One multi-window alert: its severity, windows, and the budget share it allows in the long. */
  public record Alert(
      String severity, Duration longWindow, Duration shortWindow, double budgetShare) {
    /** {@code budgetShare * period / longWindow}: 14.4 for 2 % in 1 h of 30 days. */
    public double threshold(Duration period) {
      return BigDecimal.valueOf(budgetShare)
          .multiply(BigDecimal.valueOf(period.toSeconds()))
          .divide(BigDecimal.valueOf(longWindow.toSeconds()), MATH)
          .doubleValue();
    }
  }

  /** The workbook's page and ticket alerts, with Sloth's 1 d ticket. */
  public static final List<Alert> STANDARD =
      List.of(
          new Alert("page", Duration.ofHours(1), Duration.ofMinutes(5), 0.02),
          new Alert("page", Duration.ofHours(6), Duration.ofMinutes(30), 0.05),
          new Alert("ticket", Duration.ofDays(1), Duration.ofHours(2), 0.10),
          new Alert("ticket", Duration.ofDays(3), Duration.ofHours(6), 0.10));

  /** The period SLOs are measured over unless they say otherwise. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

  /** Every window {@link #STANDARD} reads, and the period: what an SLI source must measure. */
  public static List<Duration> windows(Duration period) {
    List<Duration> out = new ArrayList<>();
    for (Alert a : STANDARD) {
      if (!out.contains(a.shortWindow())) {
        out.add(a.shortWindow());
      }
      if (!out.contains(a.longWindow())) {
        out.add(a.longWindow());
      }
    }
    if (!out.contains(period)) {
      out.add(period);
    }
    out.sort(Duration::compareTo);
    return out;
  }

  /**
   * The error ratio over a window divided by the budget.
   *
   * @param objective the ratio of good events promised, e.g. 0.999
   */
  public static double burnRate(double errorRatio, double objective) {
    if (!(objective > 0 && objective < 1)) {
      throw new IllegalArgumentException("objective must be between 0 and 1: " + objective);
    }
    if (Double.isNaN(errorRatio)) {
      return 0; // no events in the window: nothing burnt
    }
    BigDecimal budget = BigDecimal.ONE.subtract(BigDecimal.valueOf(objective));
    return BigDecimal.valueOf(errorRatio).divide(budget, MATH).doubleValue();
  }

  /** One alert as evaluated: both burn rates and whether both exceed the threshold. */
  public record Evaluated(
      Alert alert, double threshold, double longBurnRate, double shortBurnRate, boolean firing) {}

  /**
   * Evaluates every standard alert.
   *
   * @param errorRatios the error ratio measured over each window of {@link #windows}
   * @throws IllegalArgumentException when a window's ratio is missing
   */
  public static List<Evaluated> evaluate(
      Map<Duration, Double> errorRatios, double objective, Duration period) {
    List<Evaluated> out = new ArrayList<>();
    for (Alert a : STANDARD) {
      double threshold = a.threshold(period);
      double longRate = burnRate(ratio(errorRatios, a.longWindow()), objective);
      double shortRate = burnRate(ratio(errorRatios, a.shortWindow()), objective);
      boolean firing = exceeds(longRate, threshold) && exceeds(shortRate, threshold);
      out.add(new Evaluated(a, threshold, longRate, shortRate, firing));
    }
    return out;
  }

  /**
   * The share of the period's error budget not spent: 1 with no errors, 0 when spent exactly,
   * negative when overspent.
   */
  public static double budgetRemaining(double periodErrorRatio, double objective) {
    return BigDecimal.ONE
        .subtract(BigDecimal.valueOf(burnRate(periodErrorRatio, objective)))
        .doubleValue();
  }

  private static boolean exceeds(double burnRate, double threshold) {
    return BigDecimal.valueOf(burnRate).compareTo(BigDecimal.valueOf(threshold)) > 0;
  }

  private static double ratio(Map<Duration, Double> ratios, Duration window) {
    Double r = ratios.get(window);
    if (r == null) {
      throw new IllegalArgumentException("no error ratio measured over " + window);
    }
    return r;
  }
}
