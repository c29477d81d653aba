package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftMode;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drift from the hand edit to its correction, through the real planner, applier and verifier on
 * simulated clusters: the applier reports it; with the fleet's {@code drift.mode: warn} nothing is
 * written; once the fleet says {@code correct} the planner applies the deployed revision again and
 * the applier reports the drift resolved.
 */
@ExtendWith(RealKafkaExtension.class)
class DriftE2E {
  static final List<String> CLUSTERS = List.of("drift-hub", "drift-edge-1", "drift-edge-2");
  static final String STACK = "lgtm-drift";
  static final Duration INTERVAL = Duration.ofSeconds(1);

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(CLUSTERS);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.applier.drift.interval=" + INTERVAL.toMillis() + "ms");
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    api = new PlannerApi(services.get(0), ServiceArgs.API_TOKEN);
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    fleet.close();
  }

  @Test
  void driftIsReportedOnlyInWarnModeAndCorrectedOnceTheFleetSaysCorrect() throws Exception {
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      String first = declare(stack("warn"));
      awaitPhase(tap, first, RolloutPhase.COMPLETED);
      String edge = CLUSTERS.get(1);

      ConfigMap before = lokiValues(edge);
      String key = "values.loki.auth_enabled";
      assertThat(before.getData()).containsKey(key);
      String applied = before.getData().get(key);
      fleet
          .client(edge)
          .configMaps()
          .inNamespace("lgtm-system")
          .withName("stackpilot-loki")
          .edit(c -> new ConfigMapBuilder(c).addToData(key, "edited-by-hand").build());

      DriftDetected drifted = awaitDrift(tap, edge, DriftStatus.DRIFTED);
      assertThat(drifted.getObjects())
          .singleElement()
          .satisfies(o -> assertThat(o.getFields()).containsExactly("data." + key));

      // warn: reported, never written back, however many rounds pass
      await()
          .during(INTERVAL.multipliedBy(4))
          .atMost(INTERVAL.multipliedBy(8))
          .until(
              () ->
                  corrections(tap, drifted).isEmpty()
                      && "edited-by-hand".equals(lokiValues(edge).getData().get(key)));

      // the same stack, the fleet now says correct: a change of policy alone is recorded
      String second = declare(stack("correct"));
      awaitPhase(tap, second, RolloutPhase.COMPLETED);
      assertThat(planOf(tap, second).getDriftMode()).isEqualTo(DriftMode.CORRECT);
      assertThat(planOf(tap, second).getSteps()).as("nothing else changed").isEmpty();

      await().atMost(Duration.ofSeconds(60)).until(() -> corrections(tap, drifted).size() == 1);
      StepRequested correction = corrections(tap, drifted).get(0);
      assertThat(correction.getEnvelope().getActor()).isEqualTo("service:planner");
      assertThat(correction.getEnvelope().getCorrelationId())
          .isEqualTo(drifted.getEnvelope().getCorrelationId());
      assertThat(correction.getDigest()).isEqualTo(drifted.getDigest());
      assertThat(correction.getEnvelope().getCluster()).isEqualTo(edge);

      DriftDetected resolved = awaitDrift(tap, edge, DriftStatus.RESOLVED);
      assertThat(resolved.getStepId()).isEqualTo(correction.getStepId());
      assertThat(lokiValues(edge).getData()).containsEntry(key, applied);
      assertThat(tap.values(StepApplied.class))
          .filteredOn(a -> a.getStepId().equals(correction.getStepId()))
          .hasSize(1);
      // only the edited cluster and component were touched
      assertThat(tap.values(StepRequested.class))
          .filteredOn(
              s ->
                  s.getEnvelope()
                      .getCorrelationId()
                      .equals(drifted.getEnvelope().getCorrelationId()))
          .hasSize(1);
      assertThat(tap.values(DriftDetected.class))
          .filteredOn(d -> STACK.equals(d.getStackName()))
          .extracting(
              d -> d.getEnvelope().getCluster() + "/" + d.getComponent() + ":" + d.getStatus())
          .containsExactly(edge + "/loki:DRIFTED", edge + "/loki:RESOLVED");
    }
  }

  static String stack(String driftMode) throws Exception {
    String yaml =
        Files.readString(Path.of("../examples/lgtm-multicluster.yaml"))
            .replaceFirst("name: lgtm\n", "name: " + STACK + "\n");
    for (int i = 0; i < CLUSTERS.size(); i++) {
      String name = List.of("foundation", "cryptellation", "perso").get(i);
      yaml = yaml.replace(name, CLUSTERS.get(i));
    }
    return yaml + "  drift:\n    mode: " + driftMode + "\n";
  }

  static ConfigMap lokiValues(String cluster) {
    return fleet
        .client(cluster)
        .configMaps()
        .inNamespace("lgtm-system")
        .withName("stackpilot-loki")
        .get();
  }

  static DriftDetected awaitDrift(EventTap tap, String cluster, DriftStatus status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> drift(tap, cluster, status).size() == 1);
    return drift(tap, cluster, status).get(0);
  }

  static List<DriftDetected> drift(EventTap tap, String cluster, DriftStatus status) {
    return tap.values(DriftDetected.class).stream()
        .filter(d -> STACK.equals(d.getStackName()))
        .filter(d -> cluster.equals(d.getEnvelope().getCluster()) && d.getStatus() == status)
        .toList();
  }

  static List<StepRequested> corrections(EventTap tap, DriftDetected report) {
    return tap.values(StepRequested.class).stream()
        .filter(s -> report.getEnvelope().getEventId().equals(s.getEnvelope().getCausationId()))
        .toList();
  }

  static RolloutPlanned planOf(EventTap tap, String rolloutId) {
    return tap.values(RolloutPlanned.class).stream()
        .filter(p -> p.getEnvelope().getCorrelationId().equals(rolloutId))
        .findFirst()
        .orElseThrow();
  }

  static void awaitPhase(EventTap tap, String rolloutId, RolloutPhase phase) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                tap.values(RolloutStatusChanged.class).stream()
                    .anyMatch(
                        t ->
                            t.getEnvelope().getCorrelationId().equals(rolloutId)
                                && t.getPhase() == phase));
  }

  static String declare(String yaml) throws Exception {
    HttpResponse<String> response = api.declare(yaml, "", "drift policy");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return PlannerApi.rolloutId(response);
  }
}
