package io.stackpilot.verifier;

import io.stackpilot.events.BurnRateWindow;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateProbe;
import io.stackpilot.events.GateSlo;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.ProbeResult;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepAction;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.verifier.probe.HttpProbes;
import io.stackpilot.verifier.probe.MetricsCanary;
import io.stackpilot.verifier.probe.ProbeOutcome;
import io.stackpilot.verifier.probe.ProbeTargets;
import io.stackpilot.verifier.slo.DeclaredSlos;
import io.stackpilot.verifier.slo.SloEvaluator;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The probe and SLO evidence of a gate, measured when the gate is judged: each subject's readiness
 * endpoint, its metrics write→read canary and its declared blackbox probes (when the criteria
 * require probes), and each of its declared SLOs against the cluster's Prometheus (when the
 * criteria set {@code maxBurnRate}). Every measurement is published first (ProbeResult,
 * SloEvaluated, and AlertStatusChanged when an SLO alert starts or stops), and the evidence names
 * the event it rests on.
 *
 * <p>An SLO passes the gate unless its page burn rate exceeds {@code maxBurnRate} over both the
 * long (1 h) and the short (5 m) window, as the page alert itself would fire; with {@code
 * maxBurnRate: 14.4} the gate rolls back exactly when the SRE workbook's page alert fires. No
 * traffic in a window (a ratio of 0/0) burns nothing. A check that cannot be run (no target
 * configured, Prometheus unreachable) fails: a gate never passes on what it did not see.
 */
final class GateChecks {
  static final String ACTOR = "service:verifier";
  static final Duration PAGE_LONG = Duration.ofHours(1);
  static final Duration PAGE_SHORT = Duration.ofMinutes(5);

  /** Types whose remote-write receiver takes the metrics canary, and the path it listens on. */
  static final Map<String, String> CANARY_WRITE_PATHS =
      Map.of(
          "prometheus", "/api/v1/write",
          "kube-prometheus-stack", "/api/v1/write",
          "mimir", "/api/v1/push");

  private static final Set<String> MIMIR = Set.of("mimir");

  /**
   * @param canary whether Prometheus and Mimir components get the write→read canary (their
   *     remote-write receiver must be on: Prometheus's {@code --web.enable-remote-write-receiver})
   * @param timeout per probe
   */
  record Settings(boolean canary, Duration timeout) {}

  private final Settings settings;
  private final ProbeTargets targets;
  private final HttpProbes probes;
  private final MetricsCanary metricsCanary;
  private final SloMeasurements slos;
  private final Consumer<SpecificRecord> publisher;
  private final Envelopes envelopes;

  GateChecks(
      Settings settings,
      ProbeTargets targets,
      HttpClient http,
      SloMeasurements slos,
      Consumer<SpecificRecord> publisher,
      Envelopes envelopes,
      Clock clock) {
    this.settings = settings;
    this.targets = targets;
    this.probes = new HttpProbes(http, settings.timeout(), clock);
    this.metricsCanary = new MetricsCanary(http, settings.timeout(), clock);
    this.slos = slos;
    this.publisher = publisher;
    this.envelopes = envelopes;
  }

  /** Runs what the request's criteria ask for and returns its evidence, published events first. */
  List<GateEvidence> check(RolloutStatusChanged request) {
    List<GateEvidence> evidence = new ArrayList<>();
    boolean probesRequired = request.getGate().getCriteria().getRequireProbes();
    Double maxBurnRate = request.getGate().getCriteria().getMaxBurnRate();
    for (GateSubject subject : request.getGate().getSubjects()) {
      if (subject.getAction() == StepAction.PRUNE) {
        continue; // nothing runs to be probed or measured
      }
      if (probesRequired) {
        evidence.addAll(probe(request, subject));
      }
      if (maxBurnRate != null) {
        for (GateSlo slo : subject.getSlos()) {
          evidence.add(slo(request, subject, slo, maxBurnRate));
        }
      }
    }
    return evidence;
  }

  private List<GateEvidence> probe(RolloutStatusChanged request, GateSubject subject) {
    List<GateEvidence> out = new ArrayList<>();
    String type = subject.getComponentType();
    String where = subject.getCluster() + "/" + subject.getComponent();
    Optional<URI> base =
        targets.of(
            subject.getCluster(),
            subject.getNamespace(),
            subject.getComponent(),
            type,
            subject.getTenant());
    if (type != null && HttpProbes.readinessPath(type).isPresent()) {
      if (base.isEmpty()) {
        out.add(unreachable(where + " readiness", subject.getComponent(), type));
      } else {
        out.add(
            record(
                request,
                subject,
                "readiness",
                probes.readiness(base.get(), type, subject.getTenant())));
      }
    }
    String writePath = type == null ? null : CANARY_WRITE_PATHS.get(type);
    if (settings.canary() && writePath != null && base.isPresent()) {
      URI queryBase = MIMIR.contains(type) ? base.get().resolve("/prometheus/") : base.get();
      String probeId = probeId(request, subject, "canary");
      out.add(
          record(
              request,
              subject,
              "canary",
              metricsCanary.writeRead(
                  base.get(), writePath, queryBase, subject.getTenant(), probeId)));
    }
    for (GateProbe declared : subject.getProbes()) {
      Optional<URI> exporter =
          targets.of(subject.getCluster(), ProbeTargets.BLACKBOX, subject.getTenant());
      String name = "blackbox " + declared.getName();
      if (exporter.isEmpty()) {
        out.add(unreachable(where + " " + name, ProbeTargets.BLACKBOX, null));
      } else {
        out.add(
            record(
                request,
                subject,
                name,
                probes.blackbox(exporter.get(), declared.getUrl(), declared.getModule())));
      }
    }
    return out;
  }

  private GateEvidence record(
      RolloutStatusChanged request, GateSubject subject, String what, ProbeOutcome outcome) {
    EventEnvelope envelope =
        envelopes.causedBy(request.getEnvelope(), subject.getCluster(), subject.getTenant());
    ProbeResult event =
        outcome.toEvent(envelope, probeId(request, subject, what), subject.getComponent());
    publisher.accept(event);
    return evidence(
        GateJudge.PROBE,
        subject.getCluster() + "/" + subject.getComponent() + " " + what,
        outcome.success(),
        outcome.message() + " (" + outcome.latencyMillis() + " ms, " + outcome.target() + ")",
        envelope.getEventId());
  }

  /** Unique per gate attempt and check: the canary's label, and the probe's id in its event. */
  private static String probeId(RolloutStatusChanged request, GateSubject subject, String what) {
    return "gate/"
        + request.getEnvelope().getCorrelationId()
        + "/"
        + request.getWaveIndex()
        + "/"
        + request.getGate().getAttempt()
        + "/"
        + subject.getCluster()
        + "/"
        + subject.getComponent()
        + "/"
        + what.replace(' ', '-');
  }

  private static GateEvidence unreachable(String subject, String key, String type) {
    return evidence(
        GateJudge.PROBE,
        subject,
        false,
        "no URL to probe: set stackpilot.verifier.targets."
            + key
            + (type == null || type.equals(key) ? "" : " (or ." + type + ")")
            + ", or the cluster's own stackpilot.verifier.clusters.<cluster>."
            + key,
        null);
  }

  private GateEvidence slo(
      RolloutStatusChanged request, GateSubject subject, GateSlo slo, double maxBurnRate) {
    String where = subject.getCluster() + "/" + subject.getComponent() + "/" + slo.getName();
    SloEvaluator.Slo declared =
        DeclaredSlos.slo(
            slo.getName(),
            slo.getService(),
            slo.getObjectivePercent(),
            slo.getErrorQuery(),
            slo.getTotalQuery(),
            slo.getAlertName(),
            subject.getComponent());
    SloEvaluator.Subject on =
        new SloEvaluator.Subject(
            request.getStackName(),
            subject.getCluster(),
            subject.getTenant(),
            subject.getComponent());
    SloEvaluator.Outcome outcome;
    try {
      outcome = slos.measure(on, declared);
    } catch (RuntimeException e) {
      return evidence(GateJudge.SLO, where, false, "not measured: " + e.getMessage(), null);
    }
    return burn(where, outcome.evaluated(), maxBurnRate);
  }

  /** Whether the page pair (1 h with 5 m) burns faster than the gate allows, in both windows. */
  static GateEvidence burn(String where, SloEvaluated evaluated, double maxBurnRate) {
    BurnRateWindow page =
        evaluated.getWindows().stream()
            .filter(
                w ->
                    w.getLongWindow().equals(SloEvaluator.window(PAGE_LONG))
                        && w.getShortWindow().equals(SloEvaluator.window(PAGE_SHORT)))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no 1h/5m window evaluated"));
    double longRate = page.getLongBurnRate();
    double shortRate = page.getShortBurnRate();
    boolean exceeded = longRate > maxBurnRate && shortRate > maxBurnRate;
    String detail =
        String.format(
            Locale.ROOT,
            "burn rate %s over 1h and %s over 5m, gate allows %sx; %s of the error budget left",
            rate(longRate),
            rate(shortRate),
            maxBurnRate,
            Double.isNaN(evaluated.getErrorBudgetRemaining())
                ? "all (no traffic)"
                : String.format(Locale.ROOT, "%.1f%%", 100 * evaluated.getErrorBudgetRemaining()));
    return evidence(GateJudge.SLO, where, !exceeded, detail, evaluated.getEnvelope().getEventId());
  }

  private static String rate(double r) {
    return Double.isNaN(r) ? "none (no traffic)" : String.format(Locale.ROOT, "%.2fx", r);
  }

  static GateEvidence evidence(
      String kind, String subject, boolean passed, String detail, String eventId) {
    return GateEvidence.newBuilder()
        .setKind(kind)
        .setSubject(subject)
        .setPassed(passed)
        .setDetail(detail)
        .setEvidenceEventId(eventId)
        .build();
  }
}
