package io.stackpilot.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plan for a large fleet (1,500 clusters x 5 components) is over Kafka's 1 MiB default record
 * size, and the planner still publishes it: the catalog's plan topics and the producers allow 8
 * MiB.
 */
@ExtendWith(RealKafkaExtension.class)
class PlannerLargeFleetIT {
  static final int CLUSTERS = 1_500;
  static ConfigurableApplicationContext planner;
  static KafkaBroker broker;
  static SchemaRegistry registry;

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
  void aPlanOverOneMebibyteIsPublished() throws Exception {
    String stack =
        Files.readString(Path.of("../../examples/lgtm-multicluster.yaml"))
            .split("\n---\n")[0]
            .replaceFirst("name: lgtm", "name: lgtm-large");
    StringBuilder fleet =
        new StringBuilder(
            """
            apiVersion: stackpilot.io/v1alpha1
            kind: Fleet
            metadata:
              name: large
            spec:
              clusters:
            """);
    for (int i = 1; i <= CLUSTERS; i++) {
      String name = String.format("cluster-%04d", i);
      fleet.append("    - {name: ").append(name).append(", tenant: ").append(name).append("}\n");
    }
    fleet.append("  rollout: {canary: [cluster-0001], batchSize: 10%}\n");

    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rollouts"))
                    .header("Content-Type", "application/yaml")
                    .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(stack + "\n---\n" + fleet))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String rolloutId = response.body().replaceAll(".*\"rolloutId\":\"([^\"]+)\".*", "$1");

    try (EventTap tap =
        EventTap.avro(
            broker.bootstrapServers(), registry.url(), List.of(Topic.ROLLOUTS.topicName()))) {
      await().atMost(Duration.ofSeconds(120)).until(() -> plan(tap, rolloutId) != null);
      ConsumerRecord<String, Object> record = plan(tap, rolloutId);
      RolloutPlanned planned = (RolloutPlanned) record.value();
      assertThat(planned.getSteps()).hasSize(CLUSTERS * 5);
      assertThat(record.serializedValueSize()).isGreaterThan(1024 * 1024);
    }
  }

  private static ConsumerRecord<String, Object> plan(EventTap tap, String rolloutId) {
    return tap
        .matching(
            r ->
                r.value() instanceof RolloutPlanned p
                    && p.getEnvelope().getCorrelationId().equals(rolloutId))
        .stream()
        .findFirst()
        .orElse(null);
  }
}
