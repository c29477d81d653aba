package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.DriftedObject;
import io.stackpilot.events.ObjectDrift;
import io.stackpilot.events.StepApplied;
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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drift made by hand on a simulated cluster, against a real broker and registry: reported within
 * the configured interval, once per drift, ended by a re-apply, and remembered across a restart of
 * the applier (the detector's state is folded from the log).
 */
@ExtendWith(RealKafkaExtension.class)
class DriftIT {
  static final String CLUSTER = "drift-east";
  static final String STACK = "drift-it";
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Slack on top of the interval for one round of reads and the report's trip through Kafka. */
  static final Duration ROUND_SLACK = Duration.ofSeconds(2);

  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap events;
  static Path kubeconfig;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of(CLUSTER));
    kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    events =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.STEP_APPLIED.topicName(), Topic.DRIFT.topicName()));
  }

  @AfterAll
  static void stop() {
    events.close();
    fleet.close();
  }

  static ConfigurableApplicationContext applier() {
    return ApplierApplication.builder()
        .run(
            ServiceArgs.of(
                broker,
                registry,
                "--stackpilot.kube.kubeconfig=" + kubeconfig,
                "--stackpilot.applier.drift.interval=" + INTERVAL.toMillis() + "ms"));
  }

  @Test
  void handMadeDriftIsReportedOnceWithinTheIntervalAndEndsWhenTheStepIsAppliedAgain() {
    StepRequested step = step("r-drift", "loki");
    ConfigurableApplicationContext applier = applier();
    try {
      send(step);
      awaitApplied(step.getStepId());

      // someone edits the values by hand
      Instant edited = Instant.now();
      fleet
          .client(CLUSTER)
          .configMaps()
          .inNamespace("lgtm-system")
          .withName("stackpilot-loki")
          .edit(
              c -> new ConfigMapBuilder(c).addToData("values.loki.auth_enabled", "false").build());

      DriftDetected drifted = awaitReport(step.getStepId(), DriftStatus.DRIFTED, 1);
      Duration latency = Duration.between(edited, drifted.getEnvelope().getOccurredAt());
      System.out.printf(
          "drift reported %d ms after the edit (interval %d ms)%n",
          latency.toMillis(), INTERVAL.toMillis());
      assertThat(latency)
          .as("reported within the interval (%s) and one round", INTERVAL)
          .isLessThanOrEqualTo(INTERVAL.plus(ROUND_SLACK));
      assertThat(drifted.getEnvelope().getCluster()).isEqualTo(CLUSTER);
      assertThat(drifted.getEnvelope().getActor()).isEqualTo("service:applier");
      assertThat(drifted.getDigest()).isEqualTo(step.getDigest());
      assertThat(drifted.getCheckedObjects()).isEqualTo(4);
      assertThat(drifted.getObjects()).hasSize(1);
      DriftedObject configMap = drifted.getObjects().get(0);
      assertThat(configMap.getResource().getKind()).isEqualTo("ConfigMap");
      assertThat(configMap.getDrift()).isEqualTo(ObjectDrift.MODIFIED);
      assertThat(configMap.getFields()).containsExactly("data.values.loki.auth_enabled");
      assertThat(drifted.toString()).as("paths only, never values").doesNotContain("false");

      // rounds go on; the same drift is not reported again
      await()
          .during(INTERVAL.multipliedBy(4))
          .atMost(INTERVAL.multipliedBy(6))
          .until(() -> reports(step.getStepId()).size() == 1);

      // a second change is a new drift: the HelmRepository deleted as well
      fleet
          .client(CLUSTER)
          .genericKubernetesResources("source.toolkit.fluxcd.io/v1", "HelmRepository")
          .inNamespace("lgtm-system")
          .withName("loki")
          .delete();
      DriftDetected worse = awaitReport(step.getStepId(), DriftStatus.DRIFTED, 2);
      assertThat(worse.getObjects())
          .extracting(o -> o.getResource().getKind() + ":" + o.getDrift())
          .containsExactly("ConfigMap:MODIFIED", "HelmRepository:MISSING");
    } finally {
      applier.close();
    }

    // while the applier is down nothing is compared; a new instance folds the reports from the log
    // and does not repeat them
    ConfigurableApplicationContext restarted = applier();
    try {
      await()
          .during(INTERVAL.multipliedBy(4))
          .atMost(Duration.ofSeconds(30))
          .until(() -> reports(step.getStepId()).size() == 2);

      // the planner's decision to correct it: the same content applied again, as a new step
      StepRequested again =
          StepRequested.newBuilder(step)
              .setStepId(step.getStepId() + "/drift-repair")
              .setEnvelope(Events.envelope("repair-" + step.getStepId(), "drift-repair", CLUSTER))
              .build();
      send(again);
      awaitApplied(again.getStepId());
      DriftDetected resolved = awaitReport(again.getStepId(), DriftStatus.RESOLVED, 1);
      assertThat(resolved.getObjects()).isEmpty();
      assertThat(resolved.getEnvelope().getCausationId())
          .as("the end of a drift points at the report of it")
          .isEqualTo(reports(step.getStepId()).get(1).getEnvelope().getEventId());
      assertThat(
              fleet
                  .client(CLUSTER)
                  .configMaps()
                  .inNamespace("lgtm-system")
                  .withName("stackpilot-loki")
                  .get()
                  .getData())
          .containsEntry("values.loki.auth_enabled", "true");
    } finally {
      restarted.close();
    }
  }

  static StepRequested step(String rolloutId, String component) {
    StepRequested base = Events.stepRequested(rolloutId, CLUSTER, component);
    return StepRequested.newBuilder(base).setStackName(STACK).build();
  }

  static List<DriftDetected> reports(String stepId) {
    return events.values(DriftDetected.class).stream()
        .filter(d -> STACK.equals(d.getStackName()) && d.getStepId().equals(stepId))
        .toList();
  }

  static DriftDetected awaitReport(String stepId, DriftStatus status, int nth) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reports(stepId).stream().filter(d -> d.getStatus() == status).count() >= nth);
    return reports(stepId).stream().filter(d -> d.getStatus() == status).toList().get(nth - 1);
  }

  static void send(StepRequested step) {
    TestRecords.sendEvent(
        broker.bootstrapServers(), registry.url(), Topic.STEPS.topicName(), CLUSTER, step);
  }

  static void awaitApplied(String stepId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                events.values(StepApplied.class).stream()
                    .anyMatch(a -> a.getStepId().equals(stepId)));
  }
}
