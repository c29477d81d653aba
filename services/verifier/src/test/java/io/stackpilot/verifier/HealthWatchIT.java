package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The verifier watches what the simulated Flux controller makes of a HelmRelease: a component is
 * HEALTHY within one watch event of its workloads becoming ready, and each fault the simulator
 * injects is DEGRADED at the step's deadline with a reason naming the object and its condition.
 */
@ExtendWith(RealKafkaExtension.class)
class HealthWatchIT {
  static final String CLUSTER = "perso";
  static final Duration ROLLOUT_DELAY = Duration.ofSeconds(2);
  static final Duration DEADLINE = Duration.ofSeconds(10);

  static ConfigurableApplicationContext verifier;
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap verdicts;
  static EventTap decisions;
  static SimulatedSteps steps;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of(CLUSTER));
    fleet.faults(CLUSTER).rolloutDelay(ROLLOUT_DELAY);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    verifier =
        VerifierApplication.builder()
            .run(
                ServiceArgs.of(
                    broker,
                    registry,
                    "--stackpilot.kube.kubeconfig=" + kubeconfig,
                    "--stackpilot.verifier.health.deadline=" + DEADLINE.toSeconds() + "s"));
    verdicts =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.COMPONENT_HEALTH.topicName()));
    decisions =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.GATE_DECISIONS.topicName()));
    steps = new SimulatedSteps(fleet, CLUSTER, broker, registry);
    SimulatedSteps.awaitLive(verifier);
  }

  @AfterAll
  static void stop() {
    verdicts.close();
    decisions.close();
    verifier.close();
    fleet.close();
  }

  /**
   * A healthy Loki: HEALTHY once its StatefulSet and HelmRelease are ready, well within a second of
   * the last of them (one watch event; the verifier has no poll period).
   */
  @Test
  void aHealthyComponentIsVerifiedWithinOneWatchEventOfBecomingReady() {
    AtomicReference<Instant> workloadReady = new AtomicReference<>();
    AtomicReference<Instant> releaseReady = new AtomicReference<>();
    var client = fleet.client(CLUSTER);
    try (Watch sts =
            client
                .genericKubernetesResources("apps/v1", "StatefulSet")
                .inNamespace("loki")
                .watch(firstTime(workloadReady, o -> KindStatus.of(o).health()));
        Watch release =
            client
                .genericKubernetesResources(WellKnownCustomResources.FLUX_HELM_RELEASE)
                .inNamespace("loki")
                .watch(firstTime(releaseReady, o -> KindStatus.of(o).health()))) {
      StepApplied applied = install("r-healthy", "loki", "loki", "loki");

      ComponentVerified verdict = awaitVerdict(applied.getStepId());

      assertThat(verdict.getHealth()).as(verdict.getReason()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(verdict.getReason())
          .isEqualTo(
              "all 1 objects present with digest sha256:loki-1; 1 release ready, 1 workloads ready");
      assertThat(verdict.getEnvelope().getCausationId())
          .isEqualTo(applied.getEnvelope().getEventId());
      await().atMost(Duration.ofSeconds(5)).until(() -> releaseReady.get() != null);
      Instant ready =
          workloadReady.get().isAfter(releaseReady.get())
              ? workloadReady.get()
              : releaseReady.get();
      Duration latency = Duration.between(ready, verdict.getEnvelope().getOccurredAt());
      System.out.printf(
          "ready -> verified: %d ms (StepApplied -> ready %d ms, rollout delay %d ms)%n",
          latency.toMillis(),
          Duration.between(applied.getEnvelope().getOccurredAt(), ready).toMillis(),
          ROLLOUT_DELAY.toMillis());
      // the verdict waited for the rollout, and came within one watch event of its end; "ready" is
      // when this test's own watch saw it, so the verifier's watch may be a few ms earlier
      assertThat(verdict.getEnvelope().getOccurredAt())
          .isAfterOrEqualTo(applied.getEnvelope().getOccurredAt().plus(ROLLOUT_DELAY));
      assertThat(latency.abs()).isLessThan(Duration.ofSeconds(1));
    }
  }

  /** Every fault the simulator injects is named, with its object, once the deadline has passed. */
  @Test
  void eachInjectedFaultIsDegradedAtTheDeadlineWithAReasonNamingIt() {
    fleet
        .faults(CLUSTER)
        .crashLoop("mimir-ingester", "panic: cannot open WAL", Duration.ofMillis(500))
        .oomKilled("grafana")
        .imagePullBackOff("alloy")
        .pvcPending("tempo")
        .slowRollout("pyroscope", Duration.ofMinutes(5));
    StepApplied crash = install("r-faults", "mimir", "mimir", "mimir-distributed");
    StepApplied oom = install("r-faults", "grafana", "grafana", "grafana");
    StepApplied pull = install("r-faults", "alloy", "alloy", "alloy");
    StepApplied pvc = install("r-faults", "tempo", "tempo", "tempo");
    StepApplied slow = install("r-faults", "pyroscope", "pyroscope", "pyroscope");

    assertThat(settled(crash).getReason())
        .startsWith("StatefulSet mimir-ingester: 0/3 ready, pod mimir-ingester-0 CrashLoopBackOff")
        .contains("panic: cannot open WAL")
        .doesNotContain("restarts 0)");
    assertThat(settled(oom).getReason())
        .startsWith("Deployment grafana: 0/1 available, pod grafana-")
        .contains("OOMKilled (restarts ");
    assertThat(settled(pull).getReason())
        .startsWith("DaemonSet alloy: 0/3 available, pod alloy-")
        .contains("ImagePullBackOff registry.simulated.invalid/alloy:");
    assertThat(settled(pvc).getReason())
        .startsWith("StatefulSet tempo: 0/1 ready, pod tempo-0 not scheduled (Unschedulable")
        .contains("claim storage-tempo-0 Pending (FailedBinding: no persistent volumes");
    assertThat(settled(slow).getReason())
        .isEqualTo("Deployment pyroscope: not observed by its controller yet");
  }

  /**
   * A gate re-checks its subjects with the same per-kind health: a crash-looping component holds
   * the wave, and the evidence names the Pod.
   */
  @Test
  void aGateHoldsOnACrashLoopingComponentAndNamesThePod() {
    fleet
        .faults(CLUSTER)
        .crashLoop("thanos", "flag provided but not defined: -objstore", Duration.ofMillis(500));
    StepApplied applied = install("r-gate-health", "thanos", "thanos", "thanos");
    var client = fleet.client(CLUSTER);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !client.pods().inNamespace("thanos").list().getItems().isEmpty());
    RolloutStatusChanged request =
        GateRequests.request(
            "r-gate-health",
            0,
            1,
            Instant.now(),
            GateRequests.criteria(0, GateFailurePolicy.HALT),
            List.of(
                GateRequests.subject(
                    CLUSTER,
                    "thanos",
                    applied.getDigest(),
                    StepAction.APPLY,
                    applied.getResources().get(0))));
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.ROLLOUT_STATUS.topicName(),
        "r-gate-health",
        request);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                decisions.values(GateDecided.class).stream()
                    .anyMatch(d -> "r-gate-health".equals(d.getEnvelope().getCorrelationId())));
    GateDecided decided =
        decisions.values(GateDecided.class).stream()
            .filter(d -> "r-gate-health".equals(d.getEnvelope().getCorrelationId()))
            .findFirst()
            .orElseThrow();
    assertThat(decided.getDecision()).isEqualTo(GateDecision.HOLD);
    assertThat(decided.getReasons())
        .singleElement()
        .asString()
        .startsWith("health perso/thanos: Deployment thanos: 0/1 available, pod thanos-")
        .contains("CrashLoopBackOff (restarts ")
        .contains("flag provided but not defined: -objstore");
  }

  /**
   * A cluster that cannot be reached when its step arrives is watched again once it answers: the
   * step is verified HEALTHY, not left UNKNOWN by a watch that failed to start.
   */
  @Test
  void aClusterUnreachableWhenTheStepArrivesIsVerifiedOnceItAnswers() {
    StepApplied applied = steps.createRelease("r-unreachable", "cortex", "cortex", "cortex");
    ClusterWatches watches = verifier.getBean(ClusterWatches.class);
    int watching = watches.size();
    fleet.faults(CLUSTER).unreachable();
    try {
      steps.send(applied);
      await().atMost(Duration.ofSeconds(30)).until(() -> watches.size() > watching);
    } finally {
      fleet.faults(CLUSTER).reachable();
    }

    ComponentVerified verdict = awaitVerdict(applied.getStepId());
    assertThat(verdict.getHealth()).as(verdict.getReason()).isEqualTo(HealthStatus.HEALTHY);
  }

  /** The verdict on a faulty step: DEGRADED, written no earlier than its deadline. */
  private static ComponentVerified settled(StepApplied applied) {
    ComponentVerified verdict = awaitVerdict(applied.getStepId());
    assertThat(verdict.getHealth()).as(verdict.getReason()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(verdict.getEnvelope().getOccurredAt())
        .isAfterOrEqualTo(applied.getEnvelope().getOccurredAt().plus(DEADLINE));
    return verdict;
  }

  private static Watcher<GenericKubernetesResource> firstTime(
      AtomicReference<Instant> when,
      java.util.function.Function<GenericKubernetesResource, HealthStatus> health) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        if (health.apply(resource) == HealthStatus.HEALTHY) {
          when.compareAndSet(null, Instant.now());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static ComponentVerified awaitVerdict(String stepId) {
    return SimulatedSteps.awaitVerdict(verdicts, stepId);
  }

  private static StepApplied install(
      String rolloutId, String namespace, String name, String chart) {
    return steps.install(rolloutId, namespace, name, chart);
  }
}
