package io.stackpilot.verifier;

import static io.stackpilot.verifier.SimulatedSteps.awaitLive;
import static io.stackpilot.verifier.SimulatedSteps.awaitVerdict;
import static io.stackpilot.verifier.SimulatedSteps.verdicts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.StepApplied;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
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
 * A verifier stopped while steps are pending, and one started after it, verify every step exactly
 * once between them: the pending steps are rebuilt from the log, the verified ones are not verified
 * again, and a step applied while no verifier ran is verified too.
 */
@ExtendWith(RealKafkaExtension.class)
class HealthWatchRestartIT {
  static final String CLUSTER = "foundation";

  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap verdicts;
  static SimulatedSteps steps;
  static Path kubeconfig;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of(CLUSTER));
    kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    steps = new SimulatedSteps(fleet, CLUSTER, broker, registry);
    verdicts =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.COMPONENT_HEALTH.topicName()));
  }

  @AfterAll
  static void stop() {
    verdicts.close();
    fleet.close();
  }

  @Test
  void aRestartInTheMiddleVerifiesEveryPendingStepExactlyOnce() {
    fleet
        .faults(CLUSTER)
        .crashLoop("held-a", "waiting for the restart")
        .crashLoop("held-b", "waiting for the restart");
    ConfigurableApplicationContext first = verifier();
    StepApplied quickA = steps.install("r-restart", "restart", "quick-a", "quick-a");
    StepApplied quickB = steps.install("r-restart", "restart", "quick-b", "quick-b");
    StepApplied heldA = steps.install("r-restart", "restart", "held-a", "held-a");
    StepApplied heldB = steps.install("r-restart", "restart", "held-b", "held-b");
    assertThat(awaitVerdict(verdicts, quickA.getStepId()).getHealth())
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(awaitVerdict(verdicts, quickB.getStepId()).getHealth())
        .isEqualTo(HealthStatus.HEALTHY);
    HealthWatch firstWatch = first.getBean(HealthWatch.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> firstWatch.pendingCount() == 2);
    first.close();

    StepApplied whileDown = steps.install("r-restart", "restart", "late", "late");
    ConfigurableApplicationContext second = verifier();
    try {
      HealthWatch secondWatch = second.getBean(HealthWatch.class);
      // rebuilt from the log: the step applied while down is verified, the two held ones wait
      assertThat(awaitVerdict(verdicts, whileDown.getStepId()).getHealth())
          .isEqualTo(HealthStatus.HEALTHY);
      await().atMost(Duration.ofSeconds(30)).until(() -> secondWatch.pendingCount() == 2);
      assertThat(verdicts(verdicts, heldA.getStepId())).isEmpty();
      assertThat(verdicts(verdicts, heldB.getStepId())).isEmpty();
      fleet.faults(CLUSTER).clear();

      for (StepApplied step : List.of(heldA, heldB)) {
        assertThat(awaitVerdict(verdicts, step.getStepId()).getHealth())
            .as(step.getStepId())
            .isEqualTo(HealthStatus.HEALTHY);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> secondWatch.pendingCount() == 0);
      // and no step is verified twice, however long one looks
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                for (StepApplied step : List.of(quickA, quickB, heldA, heldB, whileDown)) {
                  assertThat(verdicts(verdicts, step.getStepId())).as(step.getStepId()).hasSize(1);
                }
              });
    } finally {
      second.close();
    }
  }

  private static ConfigurableApplicationContext verifier() {
    ConfigurableApplicationContext context =
        VerifierApplication.builder()
            .run(
                ServiceArgs.of(
                    broker,
                    registry,
                    "--stackpilot.kube.kubeconfig=" + kubeconfig,
                    "--stackpilot.verifier.health.deadline=2m"));
    awaitLive(context);
    return context;
  }
}
