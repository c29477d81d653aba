package io.stackpilot.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.DeadLetters;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** The planner against a real broker and registry: REST in, plan events out, poison to DLQ. */
@ExtendWith(RealKafkaExtension.class)
class PlannerIT {
  static ConfigurableApplicationContext planner;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry) {
    broker = kafka;
    registry = schemaRegistry;
    planner = PlannerApplication.builder().run(ServiceArgs.of(broker, registry));
  }

  @AfterAll
  static void stop() {
    planner.close();
  }

  @Test
  void aDeclaredStackIsRecordedAndPlannedInDependencyOrderPerCluster() throws Exception {
    HttpResponse<String> response = post(example());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String rolloutId = response.body().replaceAll(".*\"rolloutId\":\"([^\"]+)\".*", "$1");

    try (EventTap tap =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(
                Topic.DESIRED_STATE.topicName(),
                Topic.ROLLOUTS.topicName(),
                Topic.STEPS.topicName()))) {
      // three topics, read by one consumer: each may arrive in any order, so wait for all
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(steps(tap, rolloutId)).isNotEmpty();
                assertThat(tap.values(RolloutPlanned.class))
                    .anyMatch(p -> p.getEnvelope().getCorrelationId().equals(rolloutId));
                assertThat(tap.values(DesiredStateChanged.class))
                    .anyMatch(d -> d.getEnvelope().getCorrelationId().equals(rolloutId));
              });
      DesiredStateChanged change =
          tap.values(DesiredStateChanged.class).stream()
              .filter(e -> e.getEnvelope().getCorrelationId().equals(rolloutId))
              .findFirst()
              .orElseThrow();
      RolloutPlanned plan =
          tap.values(RolloutPlanned.class).stream()
              .filter(e -> e.getEnvelope().getCorrelationId().equals(rolloutId))
              .findFirst()
              .orElseThrow();
      assertThat(change.getEnvelope().getCausationId()).isNull();
      assertThat(change.getEnvelope().getActor()).isEqualTo("user:it");
      assertThat(plan.getEnvelope().getCausationId()).isEqualTo(change.getEnvelope().getEventId());
      assertThat(plan.getWaves())
          .extracting(w -> w.getClusters())
          .containsExactly(List.of("foundation"), List.of("cryptellation", "perso"));

      assertThat(plan.getSteps()).hasSize(15);
      assertThat(plan.getSteps())
          .filteredOn(p -> p.getCluster().equals("perso"))
          .extracting(p -> p.getComponent())
          .endsWith("alloy", "grafana");
      assertThat(change.getBaseline()).isEmpty();
      // nothing is applied here: only the canary's first dependency rank may be requested
      List<StepRequested> requested = steps(tap, rolloutId);
      assertThat(requested)
          .allSatisfy(s -> assertThat(s.getEnvelope().getCluster()).isEqualTo("foundation"))
          .allSatisfy(
              s ->
                  assertThat(s.getEnvelope().getCausationId())
                      .isEqualTo(plan.getEnvelope().getEventId()));
      int firstRank = plan.getSteps().stream().mapToInt(p -> p.getOrder()).min().orElseThrow();
      assertThat(requested)
          .extracting(StepRequested::getStepId)
          .containsExactlyInAnyOrderElementsOf(
              plan.getSteps().stream()
                  .filter(p -> p.getCluster().equals("foundation") && p.getOrder() == firstRank)
                  .map(p -> p.getStepId())
                  .toList());
      assertThat(requested.get(0).getEnvelope().getTenant()).isEqualTo("foundation");
    }
  }

  @Test
  void anInvalidStackIsAnswered400WithTheFieldAndNothingIsPlanned() throws Exception {
    String yaml = example().replaceFirst("version: 6.46.0", "versoin: 6.46.0");

    HttpResponse<String> response = post(yaml);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("stack.spec.components[1].chart.versoin");
  }

  @Test
  void aBrokenDependencyIsNamedWithItsIndex() throws Exception {
    String yaml =
        example()
            .replaceFirst(
                "dependsOn: \\[mimir, loki, tempo\\]", "dependsOn: [mimir, lokki, tempo]");

    HttpResponse<String> response = post(yaml);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("stack.spec.components[3].dependsOn[1]").contains("lokki");
  }

  @Test
  void aSeedPitfallIsAnswered422WithItsRuleAndFieldUnlessOverriddenOnTheRecord() throws Exception {
    String yaml = example().replace("            trace:\n", "            traces:\n");

    HttpResponse<String> refused = post(yaml, "");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body())
        .contains("TEMPO-STORAGE-TRACE")
        .contains("stack.spec.components[2].values.tempo.storage.traces");

    HttpResponse<String> overridden = post(yaml, "?override=TEMPO-STORAGE-TRACE");
    assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(202);
    String rolloutId = overridden.body().replaceAll(".*\"rolloutId\":\"([^\"]+)\".*", "$1");
    try (EventTap tap =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.DESIRED_STATE.topicName(), Topic.ROLLOUTS.topicName()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(tap.values(RolloutPlanned.class))
                      .filteredOn(p -> p.getEnvelope().getCorrelationId().equals(rolloutId))
                      .singleElement()
                      .satisfies(
                          p ->
                              assertThat(p.getFindings())
                                  .anySatisfy(
                                      f -> {
                                        assertThat(f.getRuleId()).isEqualTo("TEMPO-STORAGE-TRACE");
                                        assertThat(f.getOverriddenBy()).isEqualTo("user:it");
                                        assertThat(f.getOverrideReason())
                                            .isEqualTo("integration test");
                                      })));
    }
  }

  @Test
  void aDryRunReturnsThePlanAndWritesNothing() throws Exception {
    HttpResponse<String> response = post(example(), "?dryRun=true");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"dryRun\":true")
        .contains("\"rolloutId\":null")
        .contains("\"steps\":15")
        .contains("\"stepId\"");
  }

  @Test
  void aMutatingCallWithoutTheTokenIsRefusedAndNothingIsWritten() throws Exception {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    String yaml = example();
    for (String authorization : new String[] {null, "Bearer wrong-token", "Basic dGVzdA=="}) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rollouts"))
              .header("Content-Type", "application/yaml")
              .POST(HttpRequest.BodyPublishers.ofString(yaml));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
      assertThat(response.body()).doesNotContain(ServiceArgs.API_TOKEN);
    }
  }

  @Test
  void theApiIsDescribedByOpenApi() throws Exception {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"openapi\"")
        .contains("/api/v1/rollouts")
        .contains("dryRun")
        .contains("\"scheme\":\"bearer\"");
  }

  @Test
  void anUnknownOverrideIsNamed() throws Exception {
    HttpResponse<String> response = post(example(), "?override=NO-SUCH-RULE");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("override").contains("NO-SUCH-RULE");
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndPlanningGoesOn() {
    try (EventTap dlq =
            EventTap.raw(broker.bootstrapServers(), List.of(Topic.deadLetterTopic("planner")));
        EventTap rollouts =
            EventTap.avro(
                broker.bootstrapServers(), registry.url(), List.of(Topic.ROLLOUTS.topicName()))) {
      DeadLetters.sendPoison(broker, Topic.DESIRED_STATE.topicName(), "lgtm");
      DesiredStateChanged valid = desiredState("after-poison");
      TestRecords.sendEvent(
          broker.bootstrapServers(),
          registry.url(),
          Topic.DESIRED_STATE.topicName(),
          "lgtm",
          valid);

      DeadLetters.awaitPoison(dlq, Topic.DESIRED_STATE.topicName());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(rollouts.values(RolloutPlanned.class))
                      .anyMatch(p -> p.getEnvelope().getCorrelationId().equals("after-poison")));
    }
  }

  private static DesiredStateChanged desiredState(String rolloutId) {
    String[] docs;
    try {
      docs = example().split("\n---\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return DesiredStateChanged.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId("dsc-" + rolloutId)
                .setOccurredAt(Instant.now())
                .setActor("user:it")
                .setCorrelationId(rolloutId)
                .setProducer("it")
                .build())
        .setStackName(docs[0].replaceAll("(?s).*name: (lgtm-[0-9a-f]+).*", "$1"))
        .setSpecRevision("sha256:1")
        .setFleetRevision("sha256:2")
        .setReason("test")
        .setStackSpec(docs[0])
        .setFleetSpec(docs[1])
        .build();
  }

  /**
   * The example under a stack name of its own: tests share the broker, and a stack rolls out once
   * at a time.
   */
  private static String example() throws java.io.IOException {
    return Files.readString(Path.of("../../examples/lgtm-multicluster.yaml"))
        .replaceFirst(
            "name: lgtm", "name: lgtm-" + java.util.UUID.randomUUID().toString().substring(0, 8));
  }

  private static List<StepRequested> steps(EventTap tap, String rolloutId) {
    return tap.values(StepRequested.class).stream()
        .filter(s -> s.getEnvelope().getCorrelationId().equals(rolloutId))
        .toList();
  }

  private static HttpResponse<String> post(String yaml) throws Exception {
    return post(yaml, "");
  }

  private static HttpResponse<String> post(String yaml, String query) throws Exception {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rollouts" + query))
            .header("Content-Type", "application/yaml")
            .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
            .header("Stackpilot-Actor", "user:it")
            .header("Stackpilot-Reason", "integration test")
            .POST(HttpRequest.BodyPublishers.ofString(yaml))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
