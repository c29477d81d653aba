package io.stackpilot.verifier.slo;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.BurnRateWindow;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.runtime.Envelopes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one SLO's measured error ratios into what the topics record: an {@code SloEvaluated} with
 * every window's burn rates and the budget left, and an {@code AlertStatusChanged} for each
 * severity whose alert starts or stops firing. A pure function of its inputs and the alerts firing
 * before (which the caller folds from {@code stackpilot.alerts}), so the same measurements give the
 * same decisions on a replay.
 *
 * <p>Alerts are Sloth's: one alert name per SLO, one alert per severity ({@code page} when either
 * page window pair fires, {@code ticket} for the ticket pairs), labelled with the SLO, its service,
 * the cluster and the component. Their fingerprint is Alertmanager's ({@link AlertFingerprint}), so
 * a resolve is keyed like its firing and lands after it on the same partition.
 */
public final class SloEvaluator {
  /** The actor of SLO events: nobody asked for them. */
  public static final String ACTOR = "service:verifier";

  private final Envelopes envelopes;

  public SloEvaluator(Envelopes envelopes) {
    this.envelopes = envelopes;
  }

  /** One SLO as Sloth declares it: objective in percent, error and total queries, alert name. */
  public record Slo(
      String name,
      String service,
      double objectivePercent,
      String errorQuery,
      String totalQuery,
      String alertName) {
    /** As a ratio, in decimal: 99.9 % is 0.999, not 0.9990000000000001. */
    public double objective() {
      return BigDecimal.valueOf(objectivePercent).movePointLeft(2).doubleValue();
    }
  }

  /** Where the SLO is measured: a stack's component on a cluster. */
  public record Subject(String stack, String cluster, String tenant, String component) {}

  /** What an evaluation records. */
  public record Outcome(SloEvaluated evaluated, List<AlertStatusChanged> alerts) {}

  /**
   * @param ratios the error ratio over each window of {@link BurnRates#windows(Duration)}
   * @param firing the alerts of this SLO firing now, by fingerprint
   */
  public Outcome evaluate(
      Subject subject,
      Slo slo,
      Map<Duration, Double> ratios,
      Duration period,
      Map<String, AlertStatusChanged> firing,
      Instant now) {
    List<BurnRates.Evaluated> evaluated = BurnRates.evaluate(ratios, slo.objective(), period);
    EventEnvelope envelope =
        EventEnvelope.newBuilder(envelopes.root(ACTOR, correlation(subject, slo)))
            .setCluster(subject.cluster())
            .setTenant(subject.tenant())
            .build();
    SloEvaluated event =
        SloEvaluated.newBuilder()
            .setEnvelope(envelope)
            .setSlo(slo.name())
            .setComponent(subject.component())
            .setObjective(slo.objective())
            .setPeriodDays((int) period.toDays())
            .setWindows(evaluated.stream().map(SloEvaluator::window).toList())
            .setErrorBudgetRemaining(
                BurnRates.budgetRemaining(ratio(ratios, period), slo.objective()))
            .build();

    List<AlertStatusChanged> alerts = new ArrayList<>();
    for (String severity : List.of("page", "ticket")) {
      Map<String, String> labels = labels(subject, slo, severity);
      String fingerprint = AlertFingerprint.of(labels);
      boolean fires =
          evaluated.stream().anyMatch(e -> e.firing() && e.alert().severity().equals(severity));
      AlertStatusChanged before = firing.get(fingerprint);
      if (fires && before == null) {
        alerts.add(
            alert(envelope, AlertStatus.FIRING, fingerprint, labels, now, null, evaluated, slo));
      } else if (!fires && before != null) {
        alerts.add(
            alert(
                envelope,
                AlertStatus.RESOLVED,
                fingerprint,
                labels,
                before.getStartsAt(),
                now,
                evaluated,
                slo));
      }
    }
    return new Outcome(event, alerts);
  }

  /** The alert's labels, as Sloth names them plus where it burns. */
  static Map<String, String> labels(Subject subject, Slo slo, String severity) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", slo.alertName());
    labels.put("severity", severity);
    labels.put("sloth_slo", slo.name());
    labels.put("sloth_service", slo.service());
    labels.put("cluster", subject.cluster());
    labels.put("stack", subject.stack());
    labels.put("component", subject.component());
    return labels;
  }

  private AlertStatusChanged alert(
      EventEnvelope cause,
      AlertStatus status,
      String fingerprint,
      Map<String, String> labels,
      Instant startsAt,
      Instant endsAt,
      List<BurnRates.Evaluated> evaluated,
      Slo slo) {
    String severity = labels.get("severity");
    BurnRates.Evaluated worst =
        evaluated.stream()
            .filter(e -> e.alert().severity().equals(severity))
            .max((a, b) -> Double.compare(a.longBurnRate(), b.longBurnRate()))
            .orElseThrow();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        "summary",
        slo.service()
            + " "
            + slo.name()
            + " burns its "
            + BigDecimal.valueOf(100)
                .subtract(BigDecimal.valueOf(slo.objectivePercent()))
                .stripTrailingZeros()
                .toPlainString()
            + "% error budget "
            + String.format(Locale.ROOT, "%.2f", worst.longBurnRate())
            + "x over "
            + window(worst.alert().longWindow()));
    annotations.put(
        "description",
        "objective "
            + slo.objectivePercent()
            + "%; "
            + severity
            + " fires above "
            + worst.threshold()
            + "x in both "
            + window(worst.alert().longWindow())
            + " and "
            + window(worst.alert().shortWindow()));
    return AlertStatusChanged.newBuilder()
        .setEnvelope(envelopes.causedBy(cause))
        .setStatus(status)
        .setFingerprint(fingerprint)
        .setLabels(labels)
        .setAnnotations(annotations)
        .setStartsAt(startsAt)
        .setEndsAt(endsAt)
        .build();
  }

  private static BurnRateWindow window(BurnRates.Evaluated e) {
    return BurnRateWindow.newBuilder()
        .setSeverity(e.alert().severity())
        .setLongWindow(window(e.alert().longWindow()))
        .setShortWindow(window(e.alert().shortWindow()))
        .setThreshold(e.threshold())
        .setLongBurnRate(e.longBurnRate())
        .setShortBurnRate(e.shortBurnRate())
        .setFiring(e.firing())
        .build();
  }

  /** A window as the SLO events spell it: 5m, 1h, 3d. */
  public static String window(Duration d) {
    return PrometheusSli.promDuration(d);
  }

  /** All evaluations and alerts of one SLO on one cluster share a correlation id: its timeline. */
  static String correlation(Subject subject, Slo slo) {
    return "slo/" + subject.cluster() + "/" + subject.stack() + "/" + slo.name();
  }

  private static double ratio(Map<Duration, Double> ratios, Duration window) {
    Double r = ratios.get(window);
    if (r == null) {
      throw new IllegalArgumentException("no error ratio measured over " + window);
    }
    return r;
  }
}
