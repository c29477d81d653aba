package io.stackpilot.verifier;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.EventPublisher;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.verifier.probe.ProbeTargets;
import io.stackpilot.verifier.slo.SloEvaluator;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The verifier's Kafka side: every applied step gets a health verdict ({@link HealthWatch}), and
 * every gate request of the planner's orchestrator a GateDecided after its soak.
 */
@Configuration
@EnableConfigurationProperties({
  VerifierFunctions.GateProperties.class,
  VerifierFunctions.TargetProperties.class,
  VerifierFunctions.CheckProperties.class
})
class VerifierFunctions {

  /**
   * {@code stackpilot.verifier.gate.threads}: threads that wait out soaks and read clusters; {@code
   * max-lateness}: a request due longer ago than this is skipped, not judged; {@code
   * publish-backoff}: first wait before publishing a decision again.
   */
  @ConfigurationProperties("stackpilot.verifier.gate")
  record GateProperties(
      @DefaultValue("2") int threads,
      @DefaultValue("1h") Duration maxLateness,
      @DefaultValue("1s") Duration publishBackoff) {}

  /**
   * Where components answer ({@link ProbeTargets}): {@code stackpilot.verifier.targets.<key>} for
   * every cluster (a template), {@code stackpilot.verifier.clusters.<cluster>.<key>} for one.
   */
  @ConfigurationProperties("stackpilot.verifier")
  record TargetProperties(Map<String, String> targets, Map<String, Map<String, String>> clusters) {}

  /**
   * {@code stackpilot.verifier.checks.canary}: Prometheus and Mimir components get the write→read
   * canary (their remote-write receiver must be on); {@code slo-period}: the SLO period; {@code
   * timeout}: per probe and per query; {@code firing-wait}: how long an SLO evaluation waits for
   * the firing alerts to be read after a start.
   */
  @ConfigurationProperties("stackpilot.verifier.checks")
  record CheckProperties(
      @DefaultValue("false") boolean canary,
      @DefaultValue("30d") Duration sloPeriod,
      @DefaultValue("5s") Duration timeout,
      @DefaultValue("30s") Duration firingWait) {}

  @Bean(destroyMethod = "close")
  FiringAlerts firingAlerts(
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${stackpilot.registry.url}") String registryUrl,
      StackpilotMetrics metrics) {
    return new FiringAlerts(new EventLog.Settings(bootstrapServers, registryUrl, metrics));
  }

  /** Where components answer: one view of the configured targets for gates and the SLO watch. */
  @Bean
  ProbeTargets probeTargets(TargetProperties targets) {
    return new ProbeTargets(targets.targets(), targets.clusters());
  }

  /** The HTTP client of probes and SLI queries, shared by gates and the SLO watch. */
  @Bean
  HttpClient checksHttpClient(CheckProperties checks) {
    return HttpClient.newBuilder().connectTimeout(checks.timeout()).build();
  }

  @Bean
  SloMeasurements sloMeasurements(
      ProbeTargets targets,
      HttpClient checksHttpClient,
      CheckProperties checks,
      FiringAlerts firing,
      EventPublisher publisher,
      Envelopes envelopes,
      Clock clock) {
    return new SloMeasurements(
        targets,
        checksHttpClient,
        checks.timeout(),
        checks.sloPeriod(),
        checks.firingWait(),
        new SloEvaluator(envelopes),
        firing,
        publisher::publish,
        clock);
  }

  @Bean
  GateChecks gateChecks(
      ProbeTargets targets,
      HttpClient checksHttpClient,
      CheckProperties checks,
      SloMeasurements slos,
      EventPublisher publisher,
      Envelopes envelopes,
      Clock clock) {
    return new GateChecks(
        new GateChecks.Settings(checks.canary(), checks.timeout()),
        targets,
        checksHttpClient,
        slos,
        publisher::publish,
        envelopes,
        clock);
  }

  /**
   * Every SLO of every deployed component, every {@code stackpilot.verifier.slo.interval} (1 min),
   * on {@code threads} threads; off with {@code stackpilot.verifier.slo.enabled=false}.
   */
  @Bean
  @ConditionalOnProperty(
      name = "stackpilot.verifier.slo.enabled",
      havingValue = "true",
      matchIfMissing = true)
  SloWatch sloWatch(
      SloMeasurements slos,
      Clock clock,
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${stackpilot.registry.url}") String registryUrl,
      @Value("${stackpilot.verifier.slo.interval:1m}") Duration interval,
      @Value("${stackpilot.verifier.slo.threads:2}") int threads,
      StackpilotMetrics metrics) {
    return new SloWatch(
            new SloWatch.Settings(bootstrapServers, registryUrl, interval, threads), slos, clock)
        .metrics(metrics);
  }

  @Bean(destroyMethod = "close")
  ClusterWatches clusterWatches(FleetClients clusters) {
    return new ClusterWatches(clusters);
  }

  @Bean
  StepVerifier stepVerifier(FleetClients clusters, ClusterWatches watches, Envelopes envelopes) {
    return new StepVerifier(clusters, watches, envelopes);
  }

  /**
   * Every applied step gets one ComponentVerified, when its component is healthy or when {@code
   * stackpilot.verifier.health.deadline} (default 5 min) after the StepApplied has passed.
   */
  @Bean
  HealthWatch healthWatch(
      StepVerifier verifier,
      ClusterWatches watches,
      EventPublisher publisher,
      Clock clock,
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${stackpilot.registry.url}") String registryUrl,
      @Value("${stackpilot.verifier.health.deadline:5m}") Duration deadline,
      @Value("${stackpilot.verifier.health.retry-backoff:1s}") Duration retryBackoff,
      StackpilotMetrics metrics) {
    return new HealthWatch(
            new HealthWatch.Settings(bootstrapServers, registryUrl, deadline, retryBackoff),
            verifier,
            watches,
            publisher::publish,
            clock)
        .metrics(metrics);
  }

  @Bean(destroyMethod = "close")
  GateKeeper gateKeeper(
      StepVerifier verifier,
      GateChecks checks,
      EventPublisher publisher,
      Envelopes envelopes,
      Clock clock,
      GateProperties properties,
      StackpilotMetrics metrics) {
    return new GateKeeper(
        subject ->
            verifier.check(
                subject.getCluster(),
                subject.getAction(),
                subject.getDigest(),
                subject.getResources()),
        checks::check,
        decided -> {
          publisher.publish(decided);
          gateOutcomes(metrics, (GateDecided) decided);
        },
        envelopes,
        clock,
        GateKeeper.scheduler(properties.threads()),
        properties.maxLateness(),
        properties.publishBackoff());
  }

  /** Counter of gate decisions: promote, hold, roll_back. */
  static final String GATES = "stackpilot.verifier.gates";

  /** Counter of the checks behind them (health, probe, slo), passed or failed. */
  static final String CHECKS = "stackpilot.verifier.checks";

  /** Counts a published decision and each check it rests on (kinds are a fixed few). */
  static void gateOutcomes(StackpilotMetrics metrics, GateDecided decided) {
    metrics.outcome(
        GATES,
        "Wave gates the verifier decided",
        decided.getDecision().name().toLowerCase(Locale.ROOT));
    for (GateEvidence evidence : decided.getEvidence()) {
      metrics.outcome(
          CHECKS,
          "Checks (health, probe, slo) behind the verifier's gate decisions",
          evidence.getPassed() ? "passed" : "failed",
          "kind",
          evidence.getKind());
    }
  }

  @Bean
  Consumer<Message<RolloutStatusChanged>> judgeGate(GateKeeper keeper) {
    return message -> keeper.onStatus(message.getPayload());
  }
}
