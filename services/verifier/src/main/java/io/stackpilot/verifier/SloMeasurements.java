package io.stackpilot.verifier;

import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.verifier.probe.ProbeTargets;
import io.stackpilot.verifier.slo.BurnRates;
import io.stackpilot.verifier.slo.PrometheusSli;
import io.stackpilot.verifier.slo.SloEvaluator;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Measures one SLO of a component on a cluster and records it: the error ratios from the cluster's
 * SLI Prometheus ({@link ProbeTargets#SLI}), the {@code SloEvaluated}, and an {@code
 * AlertStatusChanged} when a page or ticket alert starts or stops against the alerts firing now.
 * Used by gates and by the periodic {@link SloWatch}, so both raise and resolve the same alerts.
 */
final class SloMeasurements {
  private final ProbeTargets targets;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration period;
  private final Duration firingWait;
  private final SloEvaluator evaluator;
  private final FiringAlerts firing;
  private final Consumer<SpecificRecord> publisher;
  private final Clock clock;

  SloMeasurements(
      ProbeTargets targets,
      HttpClient http,
      Duration timeout,
      Duration period,
      Duration firingWait,
      SloEvaluator evaluator,
      FiringAlerts firing,
      Consumer<SpecificRecord> publisher,
      Clock clock) {
    this.targets = targets;
    this.http = http;
    this.timeout = timeout;
    this.period = period;
    this.firingWait = firingWait;
    this.evaluator = evaluator;
    this.firing = firing;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Where the cluster's SLIs are measured, if configured. */
  Optional<URI> source(String cluster, String tenant) {
    return targets.of(cluster, ProbeTargets.SLI, tenant);
  }

  /**
   * Measures, publishes and returns the outcome.
   *
   * @throws RuntimeException when no source is configured, Prometheus cannot answer, or the firing
   *     alerts are not read yet: nothing is published then
   */
  SloEvaluator.Outcome measure(SloEvaluator.Subject subject, SloEvaluator.Slo slo) {
    URI prometheus =
        source(subject.cluster(), subject.tenant())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Prometheus to measure it: set stackpilot.verifier.targets."
                            + ProbeTargets.SLI));
    Instant now = clock.instant();
    SloEvaluator.Slo local =
        new SloEvaluator.Slo(
            slo.name(),
            slo.service(),
            slo.objectivePercent(),
            perCluster(slo.errorQuery(), subject),
            perCluster(slo.totalQuery(), subject),
            slo.alertName());
    Map<Duration, Double> ratios =
        new PrometheusSli(prometheus, http, timeout, subject.tenant())
            .errorRatios(local.errorQuery(), local.totalQuery(), BurnRates.windows(period), now);
    SloEvaluator.Outcome outcome =
        evaluator.evaluate(subject, slo, ratios, period, firing.firing(firingWait), now);
    publisher.accept(outcome.evaluated());
    for (AlertStatusChanged change : outcome.alerts()) {
      publisher.accept(change);
      firing.record(change);
    }
    return outcome;
  }

  /**
   * The query for one cluster: {@code {{.cluster}}} and {@code {{.tenant}}} are replaced, so one
   * fleet-wide Prometheus (or Mimir, Thanos) can answer for each cluster by its label.
   */
  static String perCluster(String query, SloEvaluator.Subject subject) {
    return query
        .replace("{{.cluster}}", subject.cluster())
        .replace("{{.tenant}}", subject.tenant() == null ? "" : subject.tenant());
  }
}
