package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.awaitEnd;
import static io.stackpilot.e2e.RolloutEvents.of;
import static io.stackpilot.e2e.RolloutEvents.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.ProbeResult;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealComponent;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.RequestCounters;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gates decided from probes and SLO burn, by the real planner, applier and verifier on the real
 * broker, with real Prometheus and blackbox exporter processes (Debian's packages). Each rollout
 * goes to a canary and two batches of one; the stack is kube-prometheus-stack, a blackbox exporter
 * that declares a probe, and Sloth with one availability SLO at 99.9 %.
 *
 * <ul>
 *   <li>The components' Prometheus ({@code targets.kube-prometheus-stack}) answers the readiness
 *       probe and takes the remote-write canary; the blackbox exporter answers its readiness and
 *       runs the declared probe of that Prometheus.
 *   <li>A second Prometheus ({@code targets.prometheus-sli}) holds three days of request counters
 *       per cluster, backfilled with promtool until a little after the test's end: 0.1 % errors
 *       everywhere (burn 1x), except on the burning rollout's canary, which has 1.5 % in the last
 *       hour (burn 15x, above the page threshold of 14.4x in both 1 h and 5 m).
 * </ul>
 *
 * The three rollouts: all well promotes every wave; the first batch's Prometheus configured at a
 * closed port fails its probes and holds the rollout there (onGateFailure halt); the burning canary
 * rolls its wave back (onGateFailure rollback-wave) and the batches never start.
 */
@ExtendWith(RealKafkaExtension.class)
class GatesE2E {
  static final String NAMESPACE = "gates-system";
  static final List<String> ROLES = List.of("canary", "b1", "b2");

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static final List<RealComponent> components = new ArrayList<>();
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;
  static RealComponent prometheus;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    RealComponent sliPrometheus =
        track(RequestCounters.prometheus(dir.resolve("sli"), clusters(), Set.of("burn-canary")));
    prometheus = track(RealComponent.prometheus(dir.resolve("prometheus"), "global: {}\n"));
    RealComponent blackbox =
        track(
            RealComponent.blackboxExporter(
                dir.resolve("blackbox"),
                """
                modules:
                  http_2xx:
                    prober: http
                    timeout: 5s
                """));

    fleet = FleetSimulator.start(clusters());
    ClusterObjects.installRenderedCrds(fleet);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.applier.drift.enabled=false",
            "--stackpilot.verifier.targets.kube-prometheus-stack=" + prometheus.url(),
            "--stackpilot.verifier.targets.blackbox-exporter=" + blackbox.url(),
            "--stackpilot.verifier.targets.prometheus-sli=" + sliPrometheus.url(),
            // the held rollout's first batch: its Prometheus does not answer
            "--stackpilot.verifier.clusters.hold-b1.kube-prometheus-stack=http://127.0.0.1:1",
            "--stackpilot.verifier.checks.canary=true",
            "--stackpilot.verifier.checks.timeout=3s");
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    api = new PlannerApi(services.get(0), ServiceArgs.API_TOKEN);
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    if (fleet != null) {
      fleet.close();
    }
    components.forEach(RealComponent::close);
  }

  @Test
  void allWellPromotesTheCanaryAndBothBatchesOnProbesAndBurnRate() throws Exception {
    try (EventTap tap = tap()) {
      String rollout = declare("ok", "halt");
      RolloutStatusChanged end = awaitEnd(tap, rollout);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.COMPLETED);

      List<GateDecided> gates = of(tap, GateDecided.class, rollout);
      assertThat(gates)
          .extracting(GateDecided::getWaveIndex, GateDecided::getDecision)
          .containsExactlyInAnyOrder(
              tuple(0, GateDecision.PROMOTE),
              tuple(1, GateDecision.PROMOTE),
              tuple(2, GateDecision.PROMOTE));
      for (GateDecided gate : gates) {
        String cluster = "ok-" + ROLES.get(gate.getWaveIndex());
        assertThat(gate.getEvidence())
            .as("gate of %s", cluster)
            .extracting(GateEvidence::getKind, GateEvidence::getSubject, GateEvidence::getPassed)
            .contains(
                tuple("probe", cluster + "/kube-prometheus-stack readiness", true),
                tuple("probe", cluster + "/kube-prometheus-stack canary", true),
                tuple("probe", cluster + "/blackbox-exporter readiness", true),
                tuple("probe", cluster + "/blackbox-exporter blackbox prometheus", true),
                tuple("slo", cluster + "/sloth/availability", true));
        // every probe and SLO evidence names the event that recorded its measurement
        List<String> probeIds =
            of(tap, ProbeResult.class, rollout).stream()
                .map(p -> p.getEnvelope().getEventId())
                .toList();
        List<String> sloIds =
            tap.values(SloEvaluated.class).stream().map(s -> s.getEnvelope().getEventId()).toList();
        for (GateEvidence e : gate.getEvidence()) {
          if (e.getKind().equals("probe")) {
            assertThat(probeIds).contains(e.getEvidenceEventId());
          } else if (e.getKind().equals("slo")) {
            assertThat(sloIds).contains(e.getEvidenceEventId());
            assertThat(e.getDetail()).startsWith("burn rate 1.00x over 1h and 1.00x over 5m");
          }
        }
      }
    }
  }

  @Test
  void aFailingProbeInTheFirstBatchHoldsTheRolloutThere() throws Exception {
    try (EventTap tap = tap()) {
      String rollout = declare("hold", "halt");
      RolloutStatusChanged end = awaitEnd(tap, rollout);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.HALTED);

      List<GateDecided> gates = of(tap, GateDecided.class, rollout);
      assertThat(gates)
          .extracting(GateDecided::getWaveIndex, GateDecided::getDecision)
          .containsExactly(tuple(0, GateDecision.PROMOTE), tuple(1, GateDecision.HOLD));
      GateDecided held = gates.get(1);
      assertThat(held.getReasons())
          .anySatisfy(
              r ->
                  assertThat(r)
                      .startsWith("probe hold-b1/kube-prometheus-stack readiness: no answer:"));
      assertThat(held.getEvidence())
          .filteredOn(e -> e.getKind().equals("slo") || e.getKind().equals("health"))
          .allSatisfy(e -> assertThat(e.getPassed()).as(e.getDetail()).isTrue());
      ProbeResult failed =
          of(tap, ProbeResult.class, rollout).stream()
              .filter(p -> !p.getSuccess())
              .filter(p -> p.getKind() == io.stackpilot.events.ProbeKind.READINESS)
              .findFirst()
              .orElseThrow();
      assertThat(failed.getEnvelope().getCluster()).isEqualTo("hold-b1");
      assertThat(failed.getTarget()).isEqualTo("http://127.0.0.1:1/-/ready");
      // the second batch was never asked for
      assertThat(of(tap, StepRequested.class, rollout))
          .extracting(s -> s.getEnvelope().getCluster())
          .doesNotContain("hold-b2");
    }
  }

  @Test
  void aCanaryBurningAboveThePageThresholdIsRolledBack() throws Exception {
    try (EventTap tap = tap()) {
      String rollout = declare("burn", "rollback-wave");
      RolloutStatusChanged end = awaitEnd(tap, rollout);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.ROLLED_BACK);

      GateDecided gate = single(of(tap, GateDecided.class, rollout));
      assertThat(gate.getWaveIndex()).isZero();
      assertThat(gate.getDecision()).isEqualTo(GateDecision.ROLL_BACK);
      assertThat(gate.getReasons())
          .singleElement()
          .asString()
          .startsWith(
              "slo burn-canary/sloth/availability: burn rate 15.00x over 1h and 15.00x over 5m,"
                  + " gate allows 14.4x;");
      // the probes passed: it is the burn alone that rolled the wave back
      assertThat(gate.getEvidence())
          .filteredOn(e -> e.getKind().equals("probe"))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.getPassed()).as(e.getDetail()).isTrue());

      // the evaluation was recorded, and the page alert raised with Sloth's labels
      SloEvaluated evaluated =
          tap.values(SloEvaluated.class).stream()
              .filter(s -> s.getEnvelope().getEventId().equals(evidence(gate, "slo")))
              .findFirst()
              .orElseThrow();
      assertThat(evaluated.getEnvelope().getCluster()).isEqualTo("burn-canary");
      assertThat(evaluated.getWindows())
          .filteredOn(w -> w.getSeverity().equals("page") && w.getLongWindow().equals("1h"))
          .singleElement()
          .satisfies(w -> assertThat(w.getFiring()).isTrue());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(tap.values(AlertStatusChanged.class))
                      .filteredOn(a -> "burn-canary".equals(a.getLabels().get("cluster")))
                      .filteredOn(a -> "page".equals(a.getLabels().get("severity")))
                      .singleElement()
                      .satisfies(
                          a -> {
                            assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
                            assertThat(a.getLabels())
                                .containsEntry("alertname", "AvailabilityBurn")
                                .containsEntry("sloth_slo", "availability");
                          }));

      // the canary's install was undone; the batches never started
      List<StepApplied> undone =
          of(tap, StepApplied.class, rollout).stream()
              .filter(a -> a.getAction() != StepAction.APPLY)
              .toList();
      assertThat(undone)
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a.getEnvelope().getCluster()).isEqualTo("burn-canary"));
      assertThat(of(tap, StepRequested.class, rollout))
          .extracting(s -> s.getEnvelope().getCluster())
          .containsOnly("burn-canary");
      assertThat(fleet.writes("burn-b1")).isEmpty();
    }
  }

  private static String evidence(GateDecided gate, String kind) {
    return gate.getEvidence().stream()
        .filter(e -> e.getKind().equals(kind))
        .map(GateEvidence::getEvidenceEventId)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> clusters() {
    return Stream.of("ok", "hold", "burn")
        .flatMap(prefix -> ROLES.stream().map(role -> prefix + "-" + role))
        .toList();
  }

  private String declare(String prefix, String onGateFailure) throws Exception {
    String stack = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> accepted =
        api.declare(spec(stack, prefix, onGateFailure), "", "gates e2e: " + prefix);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return PlannerApi.rolloutId(accepted);
  }

  /**
   * kube-prometheus-stack, a blackbox exporter probing the components' Prometheus, and Sloth with
   * one availability SLO per cluster (its queries select the cluster by label); three clusters,
   * canary then batches of one, gated on probes and a burn rate of at most 14.4x.
   */
  private static String spec(String stack, String prefix, String onGateFailure) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata:
          name: %1$s
        spec:
          components:
            - name: kube-prometheus-stack
              type: kube-prometheus-stack
              namespace: %2$s
              chart: {repository: https://prometheus-community.github.io/helm-charts, name: kube-prometheus-stack, version: 81.2.0}
            - name: blackbox-exporter
              type: blackbox-exporter
              namespace: %2$s
              chart: {repository: https://prometheus-community.github.io/helm-charts, name: prometheus-blackbox-exporter, version: 11.21.1}
              dependsOn: [kube-prometheus-stack]
              probes:
                - {name: prometheus, url: "%3$s/-/healthy", module: http_2xx}
            - name: sloth
              type: sloth
              namespace: %2$s
              chart: {repository: https://slok.github.io/sloth, name: sloth, version: 0.7.0}
              dependsOn: [kube-prometheus-stack]
              slos:
                - name: availability
                  service: gateway
                  objective: 99.9
                  errorQuery: sum(rate(http_requests_total{cluster="{{.cluster}}",status=~"5.."}[{{.window}}]))
                  totalQuery: sum(rate(http_requests_total{cluster="{{.cluster}}"}[{{.window}}]))
                  alertName: AvailabilityBurn
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: %1$s
        spec:
          clusters:
            - {name: %4$s-canary, context: %4$s-canary, tenant: %4$s-canary}
            - {name: %4$s-b1, context: %4$s-b1, tenant: %4$s-b1}
            - {name: %4$s-b2, context: %4$s-b2, tenant: %4$s-b2}
          rollout:
            canary: [%4$s-canary]
            batchSize: 1
            soakSeconds: 0
            onGateFailure: %5$s
            gates: {requireHealthy: true, requireProbes: true, maxBurnRate: 14.4}
        """
        .formatted(
            stack,
            NAMESPACE,
            prometheus.url().toString().replaceAll("/$", ""),
            prefix,
            onGateFailure);
  }

  private static EventTap tap() {
    return EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames());
  }

  private static RealComponent track(RealComponent component) {
    components.add(component);
    return component;
  }
}
