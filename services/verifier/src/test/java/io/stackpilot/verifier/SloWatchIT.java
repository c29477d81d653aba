package io.stackpilot.verifier;

import static io.stackpilot.verifier.SimulatedSteps.awaitLive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.BurnRateWindow;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealComponent;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.RequestCounters;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * SLOs evaluated between rollouts: Sloth components applied to two clusters declare a 99.9 %
 * availability SLO, and a real Prometheus (Debian's) holds their request counters, one cluster
 * burning 15x for the last hour. Every second the watch evaluates both; the burning cluster's page
 * alert is raised once, and stays raised once across a restart of the verifier (the firing alerts
 * are read back from the topic); a pruned component is no longer evaluated.
 */
@ExtendWith(RealKafkaExtension.class)
class SloWatchIT {
  static final String BURNING = "slo-burning";
  static final String FINE = "slo-fine";
  static final String SPEC =
      """
      {"slos":[{"name":"availability","service":"gateway","objective":99.9,\
      "errorQuery":"sum(rate(http_requests_total{cluster=\\"{{.cluster}}\\",status=~\\"5..\\"}[{{.window}}]))",\
      "totalQuery":"sum(rate(http_requests_total{cluster=\\"{{.cluster}}\\"}[{{.window}}]))",\
      "alertName":"GatewayAvailabilityBurn"}]}""";

  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static RealComponent prometheus;
  static Path kubeconfig;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    prometheus =
        RequestCounters.prometheus(dir.resolve("sli"), List.of(BURNING, FINE), Set.of(BURNING));
    fleet = FleetSimulator.start(List.of(BURNING, FINE));
    kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (fleet != null) {
      fleet.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void deployedSlosAreEvaluatedAndTheirAlertRaisedOnceAcrossARestart() {
    try (EventTap tap =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.SLO_EVALUATIONS.topicName(), Topic.ALERTS.topicName()))) {
      ConfigurableApplicationContext first = verifier();
      deploy(BURNING, StepAction.APPLY);
      deploy(FINE, StepAction.APPLY);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> evaluations(tap, BURNING).size() >= 3 && evaluations(tap, FINE).size() >= 3);
      assertThat(pageLongBurn(evaluations(tap, BURNING).get(0))).isCloseTo(15.0, within(1e-6));
      assertThat(pageLongBurn(evaluations(tap, FINE).get(0))).isCloseTo(1.0, within(1e-6));
      assertThat(pages(tap, BURNING))
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
                assertThat(a.getLabels())
                    .containsEntry("alertname", "GatewayAvailabilityBurn")
                    .containsEntry("sloth_service", "gateway")
                    .containsEntry("stack", "slo-watch")
                    .containsEntry("component", "sloth");
              });
      assertThat(pages(tap, FINE)).isEmpty();
      first.close();

      int before = evaluations(tap, BURNING).size();
      ConfigurableApplicationContext second = verifier();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> evaluations(tap, BURNING).size() >= before + 3);
        assertThat(pages(tap, BURNING)).as("raised once, not again after the restart").hasSize(1);

        // pruned: the watch stops evaluating it, the other goes on
        deploy(FINE, StepAction.PRUNE);
        int burningNow = evaluations(tap, BURNING).size();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> evaluations(tap, BURNING).size() >= burningNow + 2);
        int fineAfterPrune = evaluations(tap, FINE).size();
        int burningAfterPrune = evaluations(tap, BURNING).size();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> evaluations(tap, BURNING).size() >= burningAfterPrune + 3);
        assertThat(evaluations(tap, FINE)).hasSize(fineAfterPrune);
      } finally {
        second.close();
      }
    }
  }

  /** A sloth component's step and its result, as the planner and the applier write them. */
  private static void deploy(String cluster, StepAction action) {
    String rollout = "slo-watch-" + action.name().toLowerCase();
    StepRequested step = Events.stepRequested(rollout, cluster, "sloth");
    step.setStackName("slo-watch");
    step.setComponentType("sloth");
    step.setAction(action);
    step.setComponentSpec(action == StepAction.PRUNE ? null : SPEC);
    StepApplied applied = Events.stepApplied(rollout, cluster, "sloth", List.of());
    applied.setAction(action);
    send(Topic.STEPS, cluster, step);
    send(Topic.STEP_APPLIED, cluster, applied);
  }

  private static void send(Topic topic, String cluster, SpecificRecord event) {
    TestRecords.sendEvent(
        broker.bootstrapServers(), registry.url(), topic.topicName(), cluster, event);
  }

  private static List<SloEvaluated> evaluations(EventTap tap, String cluster) {
    return tap.values(SloEvaluated.class).stream()
        .filter(e -> cluster.equals(e.getEnvelope().getCluster()))
        .toList();
  }

  private static List<AlertStatusChanged> pages(EventTap tap, String cluster) {
    return tap.values(AlertStatusChanged.class).stream()
        .filter(a -> cluster.equals(a.getLabels().get("cluster")))
        .filter(a -> "page".equals(a.getLabels().get("severity")))
        .toList();
  }

  private static double pageLongBurn(SloEvaluated evaluated) {
    return evaluated.getWindows().stream()
        .filter(w -> w.getLongWindow().equals("1h"))
        .mapToDouble(BurnRateWindow::getLongBurnRate)
        .findFirst()
        .orElseThrow();
  }

  private static ConfigurableApplicationContext verifier() {
    ConfigurableApplicationContext context =
        VerifierApplication.builder()
            .run(
                ServiceArgs.of(
                    broker,
                    registry,
                    "--stackpilot.kube.kubeconfig=" + kubeconfig,
                    "--stackpilot.verifier.targets.prometheus-sli=" + prometheus.url(),
                    "--stackpilot.verifier.slo.interval=1s"));
    awaitLive(context);
    return context;
  }
}
