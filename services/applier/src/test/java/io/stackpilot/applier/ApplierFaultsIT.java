package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The applier against three simulated clusters with injected API faults: transient ones (500, 429,
 * timeouts, an unreachable cluster) are retried, then applied or failed with their reason after the
 * retries; permanent ones (403, 422) fail at once; an unreachable cluster does not hold the others
 * back.
 */
@ExtendWith(RealKafkaExtension.class)
class ApplierFaultsIT {
  /** Three clusters whose keys hash to three different partitions of stackpilot.steps. */
  static final List<String> CLUSTERS = List.of("foundation", "perso", "cryptellation");

  static ConfigurableApplicationContext applier;
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap results;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(CLUSTERS);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    applier =
        ApplierApplication.builder()
            .run(
                ServiceArgs.of(
                    broker,
                    registry,
                    "--stackpilot.kube.kubeconfig=" + kubeconfig,
                    // a held answer becomes a client timeout after 1 s, not 10 s
                    "--stackpilot.kube.request-timeout=1s"));
    results =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.STEP_APPLIED.topicName(), Topic.STEP_FAILED.topicName()));
  }

  @AfterAll
  static void stop() {
    results.close();
    applier.close();
    fleet.close();
  }

  @AfterEach
  void clearFaults() {
    CLUSTERS.forEach(c -> fleet.faults(c).clear());
  }

  @Test
  void theThreeClustersHashToDifferentPartitions() {
    assertThat(CLUSTERS.stream().map(ApplierFaultsIT::partitionOf).distinct()).hasSize(3);
  }

  @Test
  void serverErrorsOnHalfTheRequestsAreRetriedAndEachObjectIsWrittenOnce() {
    fleet.resetWrites("foundation");
    fleet.faults("foundation").apiErrors(500, 0.5);
    StepRequested step = inNamespace(Events.stepRequested("r-500", "foundation", "loki"), "e500");
    send(step);

    StepApplied applied = awaitApplied(step.getStepId());
    assertThat(applied.getResources()).hasSize(4);
    assertThat(fleet.writes("foundation"))
        .as("each object written once")
        .hasSize(4)
        .allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(1L));
  }

  @Test
  void throttledRequestsAreRetriedThenApplied() {
    fleet.resetWrites("perso");
    fleet.faults("perso").apiErrors(429, 0.5);
    StepRequested step = inNamespace(Events.stepRequested("r-429", "perso", "tempo"), "e429");
    send(step);

    awaitApplied(step.getStepId());
    assertThat(fleet.writes("perso").values()).containsOnly(1L);
  }

  @Test
  void aForbiddenRequestFailsTheStepAtOnce() {
    fleet.faults("cryptellation").apiErrors(403, 1.0);
    StepRequested step =
        inNamespace(Events.stepRequested("r-403", "cryptellation", "mimir"), "e403");
    send(step);

    StepFailed failed = awaitFailed(step.getStepId());
    assertThat(failed.getReason()).isEqualTo("Forbidden");
    assertThat(failed.getAttempt()).isEqualTo(1);
    assertThat(failed.getRetriable()).isFalse();
  }

  @Test
  void anInvalidObjectFailsTheStepAtOnce() {
    fleet.faults("foundation").apiErrors(422, 1.0, "/configmaps");
    StepRequested step =
        inNamespace(Events.stepRequested("r-422", "foundation", "grafana"), "e422");
    send(step);

    StepFailed failed = awaitFailed(step.getStepId());
    assertThat(failed.getReason()).isEqualTo("Invalid");
    assertThat(failed.getAttempt()).isEqualTo(1);
    assertThat(failed.getRetriable()).isFalse();
    assertThat(failed.getResources())
        .extracting(r -> r.getKind() + "/" + r.getName())
        .as("what was applied before the refusal")
        .containsExactly("Namespace/e422");
  }

  /**
   * Every second request for the ConfigMap is answered after the client gave up (the server still
   * carries it out): the step is retried, reads the ConfigMap it did write, and is applied without
   * writing it twice.
   */
  @Test
  void timedOutRequestsAreRetriedThenAppliedWithoutWritingTwice() {
    fleet.resetWrites("perso");
    fleet.faults("perso").timeouts(Duration.ofSeconds(3), 0.5, "/configmaps/stackpilot-alloy");
    StepRequested step = inNamespace(Events.stepRequested("r-slow", "perso", "alloy"), "slow");
    send(step);

    awaitApplied(step.getStepId());
    assertThat(fleet.writes("perso").values()).containsOnly(1L);
  }

  /** A ConfigMap that never answers: the step fails with Timeout after its attempts. */
  @Test
  void aRequestThatNeverAnswersFailsTheStepWithTimeout() {
    fleet
        .faults("foundation")
        .timeouts(Duration.ofSeconds(3), 1.0, "/configmaps/stackpilot-thanos");
    StepRequested step =
        inNamespace(Events.stepRequested("r-hung", "foundation", "thanos"), "hung");
    send(step);

    StepFailed failed = awaitFailed(step.getStepId());
    assertThat(failed.getReason()).isEqualTo("Timeout");
    assertThat(failed.getRetriable()).isTrue();
    assertThat(failed.getAttempt()).isEqualTo(RetryPolicy.DEFAULTS.maxAttempts());
  }

  /**
   * Three steps for an unreachable cluster, then one for each of the two others: those are applied
   * while the unreachable cluster's steps are still being retried, which then fail with Unreachable
   * after all their attempts.
   */
  @Test
  void anUnreachableClusterDoesNotHoldTheOthersBack() {
    fleet.faults("cryptellation").unreachable();
    List<StepRequested> down =
        List.of("loki", "tempo", "mimir").stream()
            .map(c -> inNamespace(Events.stepRequested("r-down", "cryptellation", c), "down"))
            .toList();
    down.forEach(ApplierFaultsIT::send);
    StepRequested foundation =
        inNamespace(Events.stepRequested("r-down", "foundation", "grafana"), "down");
    StepRequested perso = inNamespace(Events.stepRequested("r-down", "perso", "grafana"), "down");
    send(foundation);
    send(perso);

    awaitApplied(foundation.getStepId());
    awaitApplied(perso.getStepId());
    down.forEach(step -> awaitFailed(step.getStepId()));

    long lastFailure = timestampOf(down.get(2).getStepId());
    assertThat(timestampOf(foundation.getStepId())).isLessThan(lastFailure);
    assertThat(timestampOf(perso.getStepId())).isLessThan(lastFailure);
    for (StepRequested step : down) {
      StepFailed failed = failedOf(step.getStepId()).orElseThrow();
      assertThat(failed.getReason()).isEqualTo("Unreachable");
      assertThat(failed.getRetriable()).isTrue();
      assertThat(failed.getAttempt()).isEqualTo(RetryPolicy.DEFAULTS.maxAttempts());
    }
  }

  private static int partitionOf(String cluster) {
    return Utils.toPositive(Utils.murmur2(cluster.getBytes())) % Topic.STEPS.partitions();
  }

  private static long timestampOf(String stepId) {
    return results.matching(r -> stepId.equals(stepIdOf(r))).stream()
        .mapToLong(ConsumerRecord::timestamp)
        .min()
        .orElseThrow();
  }

  private static String stepIdOf(ConsumerRecord<String, Object> record) {
    if (record.value() instanceof StepApplied a) {
      return a.getStepId();
    }
    if (record.value() instanceof StepFailed f) {
      return f.getStepId();
    }
    return null;
  }

  private static StepRequested inNamespace(StepRequested step, String namespace) {
    step.setNamespace(namespace);
    return step;
  }

  private static void send(StepRequested step) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.STEPS.topicName(),
        step.getEnvelope().getCluster(),
        step);
  }

  private static StepApplied awaitApplied(String stepId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(failedOf(stepId)).as("failed instead").isEmpty();
              assertThat(results.values(StepApplied.class))
                  .anyMatch(a -> a.getStepId().equals(stepId));
            });
    return results.values(StepApplied.class).stream()
        .filter(a -> a.getStepId().equals(stepId))
        .findFirst()
        .orElseThrow();
  }

  private static StepFailed awaitFailed(String stepId) {
    await().atMost(Duration.ofSeconds(60)).until(() -> failedOf(stepId).isPresent());
    return failedOf(stepId).orElseThrow();
  }

  private static Optional<StepFailed> failedOf(String stepId) {
    return results.values(StepFailed.class).stream()
        .filter(f -> f.getStepId().equals(stepId))
        .findFirst();
  }
}
