package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Rollouts driven end to end on the real broker and registry: the planner's loop against a fake
 * applier and verifier that answer every step and script every gate.
 */
@ExtendWith(RealKafkaExtension.class)
class RolloutOrchestrationIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFailingGateHaltsTheRolloutBeforeTheNextBatch(KafkaBroker broker, SchemaRegistry registry)
      throws Exception {
    try (var planner = PlannerApplication.builder().run(ServiceArgs.of(broker, registry))) {
      String rolloutId = submit(planner, spec("halt"));
      try (FakeFleet fleet =
          new FakeFleet(
              broker.bootstrapServers(),
              registry.url(),
              rolloutId,
              wave -> wave == 0 ? GateDecision.PROMOTE : GateDecision.HOLD)) {
        RolloutStatusChanged end = awaitTerminal(broker, registry, rolloutId);

        assertThat(end.getPhase()).isEqualTo(RolloutPhase.HALTED);
        assertThat(end.getTransition()).isEqualTo(RolloutTransition.WAVE_FAILED);
        assertThat(end.getWaveIndex()).isEqualTo(1);
        assertThat(end.getReason()).contains("HOLD");
        Set<String> touched = clusters(fleet.requested());
        assertThat(touched).containsExactlyInAnyOrder("c01", "c02", "c03", "c04");
        JsonNode status = get(planner, "/api/v1/rollouts/" + rolloutId);
        assertThat(status.path("phase").asText()).isEqualTo("HALTED");
        assertThat(status.path("waves").get(2).path("state").asText()).isEqualTo("PENDING");
        assertThat(status.path("waves").get(1).path("state").asText()).isEqualTo("FAILED");
      }
    }
  }

  @Test
  void aFailingGateRollsTheWaveBackWhenTheStrategySaysSo(
      KafkaBroker broker, SchemaRegistry registry) throws Exception {
    try (var planner = PlannerApplication.builder().run(ServiceArgs.of(broker, registry))) {
      String rolloutId = submit(planner, spec("rollback-wave"));
      try (FakeFleet fleet =
          new FakeFleet(
              broker.bootstrapServers(),
              registry.url(),
              rolloutId,
              wave -> wave == 0 ? GateDecision.PROMOTE : GateDecision.ROLL_BACK)) {
        RolloutStatusChanged end = awaitTerminal(broker, registry, rolloutId);

        assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.ROLLED_BACK);
        List<StepRequested> steps = fleet.requested();
        assertThat(clusters(steps)).containsExactlyInAnyOrder("c01", "c02", "c03", "c04");
        List<StepRequested> undo =
            steps.stream().filter(s -> s.getStepId().endsWith("/rollback")).toList();
        // batch-1's clusters were new: every step is undone by pruning, the canary is kept
        assertThat(clusters(undo)).containsExactlyInAnyOrder("c02", "c03", "c04");
        assertThat(undo).allSatisfy(s -> assertThat(s.getAction()).isEqualTo(StepAction.PRUNE));
        assertThat(undo).hasSize(3 * 3);
        // per cluster, undone in reverse dependency order: the collector before the backends
        List<String> c02 =
            undo.stream()
                .filter(s -> s.getEnvelope().getCluster().equals("c02"))
                .map(StepRequested::getComponent)
                .toList();
        assertThat(c02.get(0)).isEqualTo("alloy");
      }
    }
  }

  @Test
  void aRestartedPlannerResumesFromTheLogWithoutRequestingAStepTwice(
      KafkaBroker broker, SchemaRegistry registry) throws Exception {
    ConfigurableApplicationContext first =
        PlannerApplication.builder().run(ServiceArgs.of(broker, registry));
    String yaml = spec("halt");
    String rolloutId = submit(first, yaml);
    try (FakeFleet fleet =
        new FakeFleet(
            broker.bootstrapServers(), registry.url(), rolloutId, wave -> GateDecision.PROMOTE)) {
      // let the canary through and batch-1 begin, then stop the planner mid-rollout
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> clusters(fleet.requested()).contains("c02"));
      fleet.answering(false);
      first.close();
      int before = fleet.requested().size();
      fleet.answering(true);

      try (var second = PlannerApplication.builder().run(ServiceArgs.of(broker, registry))) {
        RolloutStatusChanged end = awaitTerminal(broker, registry, rolloutId);
        assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.COMPLETED);
        assertThat(before).isLessThan(30);

        // the log now says what runs: the same spec changes nothing, a new version upgrades
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(post(second, yaml, "").path("unchanged").asBoolean()).isTrue());
        JsonNode upgrade =
            post(second, yaml.replace("version: 1.24.0", "version: 1.25.0"), "?dryRun=true");
        assertThat(upgrade.path("steps").asInt()).isEqualTo(10);
        assertThat(upgrade.path("diff").findValuesAsText("change")).containsOnly("UPGRADE");
        assertThat(upgrade.path("diff").findValuesAsText("component")).containsOnly("tempo");
        assertThat(upgrade.path("diff").get(0).path("fromVersion").asText()).isEqualTo("1.24.0");
      }
    }
    try (EventTap steps =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.STEPS.topicName()))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(ofRollout(steps.values(StepRequested.class), rolloutId)).hasSize(30));
      Map<String, Long> perStep =
          ofRollout(steps.values(StepRequested.class), rolloutId).stream()
              .collect(Collectors.groupingBy(StepRequested::getStepId, Collectors.counting()));
      assertThat(perStep).hasSize(30).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    }
  }

  /**
   * Ten clusters, three components in two ranks (alloy after loki and tempo); canary c01, then
   * batches of 3.
   */
  static String spec(String onGateFailure) {
    String name = "orch-" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: stackpilot.io/v1alpha1
            kind: ObservabilityStack
            metadata:
              name: %s
            spec:
              components:
                - name: loki
                  type: loki
                  namespace: lgtm-system
                  chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.46.0}
                  values:
                    deploymentMode: SingleBinary
                    loki:
                      schemaConfig:
                        configs:
                          - {from: "2024-01-01", store: tsdb, object_store: filesystem, schema: v13, index: {prefix: index_, period: 24h}}
                - name: tempo
                  type: tempo
                  namespace: lgtm-system
                  chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: 1.24.0}
                  values:
                    tempo: {storage: {trace: {backend: local}}}
                - name: alloy
                  type: alloy
                  namespace: lgtm-system
                  chart: {repository: https://grafana.github.io/helm-charts, name: alloy, version: 1.4.0}
                  dependsOn: [loki, tempo]
            ---
            apiVersion: stackpilot.io/v1alpha1
            kind: Fleet
            metadata:
              name: ten
            spec:
              clusters:
            """
                .formatted(name));
    for (int i = 1; i <= 10; i++) {
      String c = String.format("c%02d", i);
      yaml.append("    - {name: ").append(c).append(", tenant: ").append(c).append("}\n");
    }
    yaml.append("  rollout:\n    canary: [c01]\n    batchSize: 3\n    onGateFailure: ")
        .append(onGateFailure)
        .append("\n");
    return yaml.toString();
  }

  static String submit(ConfigurableApplicationContext planner, String yaml) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri(planner, "/api/v1/rollouts"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
                .header("Stackpilot-Actor", "user:it")
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body()).path("rolloutId").asText();
  }

  static JsonNode post(ConfigurableApplicationContext planner, String yaml, String query)
      throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri(planner, "/api/v1/rollouts" + query))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static JsonNode get(ConfigurableApplicationContext planner, String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri(planner, path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static URI uri(ConfigurableApplicationContext planner, String path) {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static RolloutStatusChanged awaitTerminal(
      KafkaBroker broker, SchemaRegistry registry, String rolloutId) {
    try (EventTap tap =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.ROLLOUT_STATUS.topicName()))) {
      Function<EventTap, RolloutStatusChanged> terminal =
          t ->
              t.values(RolloutStatusChanged.class).stream()
                  .filter(s -> s.getEnvelope().getCorrelationId().equals(rolloutId))
                  .filter(s -> RolloutState.terminal(s.getPhase()))
                  .findFirst()
                  .orElse(null);
      await().atMost(Duration.ofSeconds(120)).until(() -> terminal.apply(tap) != null);
      return terminal.apply(tap);
    }
  }

  static Set<String> clusters(List<StepRequested> steps) {
    return steps.stream()
        .map(s -> s.getEnvelope().getCluster())
        .collect(Collectors.toCollection(HashSet::new));
  }

  static List<StepRequested> ofRollout(List<StepRequested> steps, String rolloutId) {
    return steps.stream()
        .filter(s -> s.getEnvelope().getCorrelationId().equals(rolloutId))
        .toList();
  }
}
