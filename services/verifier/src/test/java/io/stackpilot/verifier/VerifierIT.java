package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The verifier reads applied objects back from a simulated cluster and states their health. */
@ExtendWith(RealKafkaExtension.class)
class VerifierIT {
  static ConfigurableApplicationContext verifier;
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap verdicts;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of("cryptellation"));
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    verifier =
        VerifierApplication.builder()
            .run(ServiceArgs.of(broker, registry, "--stackpilot.kube.kubeconfig=" + kubeconfig));
    verdicts =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.COMPONENT_HEALTH.topicName()));
  }

  @AfterAll
  static void stop() {
    verdicts.close();
    verifier.close();
    fleet.close();
  }

  @Test
  void presentObjectsWithTheAppliedDigestAreHealthyAndMissingOnesAreNot() {
    fleet
        .client("cryptellation")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("stackpilot-mimir")
                .withNamespace("default")
                .withAnnotations(Map.of(HealthAssessment.DIGEST_ANNOTATION, "sha256:mimir-1"))
                .endMetadata()
                .build())
        .create();
    StepApplied healthy =
        Events.stepApplied("r-verify", "cryptellation", "mimir", List.of(ref("stackpilot-mimir")));
    StepApplied missing =
        Events.stepApplied("r-verify", "cryptellation", "tempo", List.of(ref("stackpilot-tempo")));
    send(healthy);
    send(missing);

    ComponentVerified ok = awaitVerdict(healthy.getStepId());
    ComponentVerified gone = awaitVerdict(missing.getStepId());
    assertThat(ok.getHealth()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(ok.getEnvelope().getCausationId()).isEqualTo(healthy.getEnvelope().getEventId());
    assertThat(gone.getHealth()).isEqualTo(HealthStatus.MISSING);
    assertThat(gone.getResources())
        .singleElement()
        .satisfies(r -> assertThat(r.getMessage()).isEqualTo("not found"));
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndVerifyingGoesOn() {
    try (EventTap dlq =
        EventTap.raw(broker.bootstrapServers(), List.of(Topic.deadLetterTopic("verifier")))) {
      DeadLetters.sendPoison(broker, Topic.STEP_APPLIED.topicName(), "cryptellation");
      StepApplied valid =
          Events.stepApplied(
              "r-after-poison", "cryptellation", "loki", List.of(ref("stackpilot-loki")));
      send(valid);

      DeadLetters.awaitPoison(dlq, Topic.STEP_APPLIED.topicName());
      awaitVerdict(valid.getStepId());
    }
  }

  /**
   * A prune is verified by absence: gone is HEALTHY, still there is DEGRADED, and held by a
   * finalizer after its delete (deletionTimestamp set) is PROGRESSING.
   */
  @Test
  void aPruneIsHealthyWhenItsObjectsAreGone() {
    var cluster = fleet.client("cryptellation");
    cluster
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("stackpilot-alloy")
                .withNamespace("default")
                .endMetadata()
                .build())
        .create();
    cluster
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("stackpilot-beyla")
                .withNamespace("default")
                .withFinalizers("stackpilot.io/test")
                .endMetadata()
                .build())
        .create();
    cluster.configMaps().inNamespace("default").withName("stackpilot-beyla").delete();

    StepApplied gone =
        pruned(
            Events.stepApplied(
                "r-prune", "cryptellation", "faro", List.of(ref("stackpilot-faro"))));
    StepApplied present =
        pruned(
            Events.stepApplied(
                "r-prune", "cryptellation", "alloy", List.of(ref("stackpilot-alloy"))));
    StepApplied deleting =
        pruned(
            Events.stepApplied(
                "r-prune", "cryptellation", "beyla", List.of(ref("stackpilot-beyla"))));
    send(gone);
    send(present);
    send(deleting);

    ComponentVerified healthy = awaitVerdict(gone.getStepId());
    assertThat(healthy.getHealth()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(healthy.getReason()).isEqualTo("pruned: 1 objects absent");
    assertThat(awaitVerdict(present.getStepId()).getHealth()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(awaitVerdict(deleting.getStepId()).getHealth()).isEqualTo(HealthStatus.PROGRESSING);
  }

  private static StepApplied pruned(StepApplied applied) {
    applied.setAction(StepAction.PRUNE);
    return applied;
  }

  private static ResourceRef ref(String name) {
    return ResourceRef.newBuilder()
        .setApiVersion("v1")
        .setKind("ConfigMap")
        .setNamespace("default")
        .setName(name)
        .build();
  }

  private static void send(StepApplied applied) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.STEP_APPLIED.topicName(),
        "cryptellation",
        applied);
  }

  private static ComponentVerified awaitVerdict(String stepId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                verdicts.values(ComponentVerified.class).stream()
                    .anyMatch(v -> stepId.equals(v.getStepId())));
    return verdicts.values(ComponentVerified.class).stream()
        .filter(v -> stepId.equals(v.getStepId()))
        .findFirst()
        .orElseThrow();
  }
}
