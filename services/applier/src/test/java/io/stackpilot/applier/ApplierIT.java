package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.testing.DeadLetters;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The applier against a real broker, registry and simulated clusters reached by kubeconfig context:
 * steps become server-side-applied objects, failures are classified, poison goes to DLQ.
 */
@ExtendWith(RealKafkaExtension.class)
class ApplierIT {
  static ConfigurableApplicationContext applier;
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap results;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of("foundation", "perso"));
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    applier =
        ApplierApplication.builder()
            .run(ServiceArgs.of(broker, registry, "--stackpilot.kube.kubeconfig=" + kubeconfig));
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

  @Test
  void aStepIsServerSideAppliedToItsClusterOnly() {
    StepRequested step = Events.stepRequested("r-apply", "perso", "loki");
    send(step);

    StepApplied applied = awaitApplied(step.getStepId());
    assertThat(applied.getEnvelope().getCausationId()).isEqualTo(step.getEnvelope().getEventId());
    assertThat(applied.getEnvelope().getCorrelationId()).isEqualTo("r-apply");
    assertThat(applied.getResources())
        .extracting(r -> r.getKind() + "/" + r.getName())
        .containsExactly("Namespace/lgtm-system", "ConfigMap/stackpilot-loki");
    assertThat(applied.getResources())
        .allSatisfy(r -> assertThat(r.getResourceVersion()).isNotBlank());

    ConfigMap live =
        fleet
            .client("perso")
            .configMaps()
            .inNamespace("lgtm-system")
            .withName("stackpilot-loki")
            .get();
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry(Ownership.DIGEST, step.getDigest());
    assertThat(live.getMetadata().getLabels()).containsEntry(Ownership.MANAGED_BY, "stackpilot");
    assertThat(live.getData()).containsEntry("values.loki.auth_enabled", "true");
    assertThat(
            fleet
                .client("foundation")
                .configMaps()
                .inNamespace("lgtm-system")
                .withName("stackpilot-loki")
                .get())
        .isNull();
  }

  @Test
  void aStepForAClusterNoContextReachesFailsPermanently() {
    StepRequested step = Events.stepRequested("r-unknown", "mars", "loki");
    send(step);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(results.values(StepFailed.class))
                    .anySatisfy(
                        f -> {
                          assertThat(f.getStepId()).isEqualTo(step.getStepId());
                          assertThat(f.getReason()).isEqualTo("UnknownCluster");
                          assertThat(f.getRetriable()).isFalse();
                        }));
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndApplyingGoesOn() {
    try (EventTap dlq =
        EventTap.raw(broker.bootstrapServers(), List.of(Topic.deadLetterTopic("applier")))) {
      DeadLetters.sendPoison(broker, Topic.STEPS.topicName(), "foundation");
      StepRequested valid = Events.stepRequested("r-after-poison", "foundation", "tempo");
      send(valid);

      DeadLetters.awaitPoison(dlq, Topic.STEPS.topicName());
      awaitApplied(valid.getStepId());
    }
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
        .until(
            () ->
                results.values(StepApplied.class).stream()
                    .anyMatch(a -> a.getStepId().equals(stepId)));
    return results.values(StepApplied.class).stream()
        .filter(a -> a.getStepId().equals(stepId))
        .findFirst()
        .orElseThrow();
  }
}
