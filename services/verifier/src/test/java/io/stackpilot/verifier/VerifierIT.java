package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.RolloutStatusChanged;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  static EventTap decisions;

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
    decisions =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.GATE_DECISIONS.topicName()));
  }

  @AfterAll
  static void stop() {
    verdicts.close();
    decisions.close();
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

  /**
   * A gate whose objects are live as the wave left them (applied ones with their digest, pruned
   * ones gone) promotes, with one passed health evidence per subject, keyed by the rollout.
   */
  @Test
  void aGateWhoseObjectsAreAsAppliedPromotes() {
    createInGates("stackpilot-loki", "sha256:loki-1");
    RolloutStatusChanged request =
        GateRequests.request(
            "r-gate-promote",
            0,
            1,
            Instant.now(),
            GateRequests.criteria(0, GateFailurePolicy.HALT),
            List.of(
                GateRequests.subject(
                    "cryptellation",
                    "loki",
                    "sha256:loki-1",
                    StepAction.APPLY,
                    gatesRef("stackpilot-loki")),
                GateRequests.subject(
                    "cryptellation",
                    "faro",
                    "sha256:faro-1",
                    StepAction.PRUNE,
                    gatesRef("stackpilot-faro"))));
    sendStatus(request);

    GateDecided decided = awaitDecision("r-gate-promote");
    assertThat(decided.getDecision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(decided.getEnvelope().getCausationId())
        .isEqualTo(request.getEnvelope().getEventId());
    assertThat(decided.getWaveIndex()).isZero();
    assertThat(decided.getClusters()).containsExactly("cryptellation");
    assertThat(decided.getEvidence())
        .extracting(GateEvidence::getKind, GateEvidence::getSubject, GateEvidence::getPassed)
        .containsExactly(
            tuple("health", "cryptellation/loki", true),
            tuple("health", "cryptellation/faro", true));
    assertThat(decisions.matching(r -> r.value() == decided))
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo("r-gate-promote"));
  }

  /**
   * One subject's object missing fails the gate: HOLD under HALT, ROLL_BACK under ROLL_BACK_WAVE.
   */
  @Test
  void aGateWithAMissingObjectHoldsOrRollsBackAsThePolicySays() {
    createInGates("stackpilot-tempo", "sha256:tempo-1");
    sendStatus(missingMimir("r-gate-halt", GateFailurePolicy.HALT));
    sendStatus(missingMimir("r-gate-roll-back", GateFailurePolicy.ROLL_BACK_WAVE));

    GateDecided held = awaitDecision("r-gate-halt");
    GateDecided rolledBack = awaitDecision("r-gate-roll-back");
    assertThat(held.getDecision()).isEqualTo(GateDecision.HOLD);
    assertThat(rolledBack.getDecision()).isEqualTo(GateDecision.ROLL_BACK);
    assertThat(held.getReasons())
        .containsExactly("health cryptellation/mimir: 1 of 1 objects missing");
    assertThat(held.getEvidence())
        .extracting(GateEvidence::getSubject, GateEvidence::getPassed)
        .containsExactly(tuple("cryptellation/tempo", true), tuple("cryptellation/mimir", false));
  }

  /** The soak is waited out: the decision is written no earlier than request time + soak. */
  @Test
  void aGateIsNotJudgedBeforeItsSoakEnds() {
    createInGates("stackpilot-pyroscope", "sha256:pyroscope-1");
    Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    sendStatus(
        GateRequests.request(
            "r-gate-soak",
            2,
            1,
            requestedAt,
            GateRequests.criteria(2, GateFailurePolicy.HALT),
            List.of(
                GateRequests.subject(
                    "cryptellation",
                    "pyroscope",
                    "sha256:pyroscope-1",
                    StepAction.APPLY,
                    gatesRef("stackpilot-pyroscope")))));

    GateDecided decided = awaitDecision("r-gate-soak");
    assertThat(decided.getDecision()).isEqualTo(GateDecision.PROMOTE);
    assertThat(decided.getEnvelope().getOccurredAt()).isAfterOrEqualTo(requestedAt.plusSeconds(2));
  }

  private static RolloutStatusChanged missingMimir(String rolloutId, GateFailurePolicy policy) {
    return GateRequests.request(
        rolloutId,
        1,
        1,
        Instant.now(),
        GateRequests.criteria(0, policy),
        List.of(
            GateRequests.subject(
                "cryptellation",
                "tempo",
                "sha256:tempo-1",
                StepAction.APPLY,
                gatesRef("stackpilot-tempo")),
            GateRequests.subject(
                "cryptellation",
                "mimir",
                "sha256:mimir-1",
                StepAction.APPLY,
                gatesRef("stackpilot-mimir"))));
  }

  private static void createInGates(String name, String digest) {
    fleet
        .client("cryptellation")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("gates")
                .withAnnotations(Map.of(HealthAssessment.DIGEST_ANNOTATION, digest))
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
  }

  private static ResourceRef gatesRef(String name) {
    return ResourceRef.newBuilder()
        .setApiVersion("v1")
        .setKind("ConfigMap")
        .setNamespace("gates")
        .setName(name)
        .build();
  }

  private static void sendStatus(RolloutStatusChanged status) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.ROLLOUT_STATUS.topicName(),
        status.getEnvelope().getCorrelationId(),
        status);
  }

  private static GateDecided awaitDecision(String rolloutId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                decisions.values(GateDecided.class).stream()
                    .anyMatch(d -> rolloutId.equals(d.getEnvelope().getCorrelationId())));
    return decisions.values(GateDecided.class).stream()
        .filter(d -> rolloutId.equals(d.getEnvelope().getCorrelationId()))
        .findFirst()
        .orElseThrow();
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
