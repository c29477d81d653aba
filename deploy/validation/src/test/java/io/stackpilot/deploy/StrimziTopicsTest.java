package io.stackpilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackpilot.contract.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Proves that deploy/strimzi matches the topic catalog exactly: the same topic names (catalog,
 * dead-letter and internal topics, nothing else), the catalog's partitions, cleanup and retention,
 * 3 replicas, and a Kafka cluster of 3 KRaft nodes with min.insync.replicas 2.
 */
class StrimziTopicsTest {
  private static final Path TOPICS = Manifests.DEPLOY.resolve("strimzi/topics.yaml");
  private static final Path KAFKA = Manifests.DEPLOY.resolve("strimzi/kafka.yaml");
  private static final Path SERVICES = Manifests.DEPLOY.resolve("../services");

  @Test
  void topicsFileIsTheGeneratorsOutput() throws IOException {
    String generated = StrimziTopics.yaml(StrimziTopics.all());
    if (Boolean.getBoolean("strimzi.update")) {
      Files.writeString(TOPICS, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(TOPICS))
        .as("deploy/strimzi/topics.yaml is stale: run with -Dstrimzi.update=true")
        .isEqualTo(generated);
  }

  @Test
  void topicNamesAreExactlyTheCatalogsDeadLettersAndInternalTopics() {
    Set<String> expected = new TreeSet<>(Topic.allNames());
    StrimziTopics.SERVICES.forEach(s -> expected.add(Topic.deadLetterTopic(s)));
    expected.addAll(
        List.of(
            "stackpilot.notifier.routed-alerts",
            "stackpilot.notifier.notification-log",
            "_schemas"));

    List<String> names =
        topics().stream().map(t -> t.path("spec").path("topicName").asText()).toList();

    assertThat(names).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(names)).isEqualTo(expected);
    assertThat(names).hasSize(Topic.values().length + StrimziTopics.SERVICES.size() + 3);
  }

  @Test
  void everyCatalogTopicHasItsPartitionsRetentionAndCleanup() {
    Map<String, JsonNode> byName = byTopicName();
    for (Topic topic : Topic.values()) {
      JsonNode spec = byName.get(topic.topicName()).path("spec");
      assertThat(spec.path("partitions").asInt())
          .as(topic + " partitions")
          .isEqualTo(topic.partitions());
      assertThat(spec.path("replicas").asInt()).as(topic + " replicas").isEqualTo(3);
      assertThat(config(spec))
          .as(topic + " config")
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "cleanup.policy", topic.cleanupPolicy(),
                  "retention.ms", Long.toString(topic.retention().millis()),
                  "max.message.bytes", Integer.toString(topic.maxMessageBytes())));
    }
    // the retention classes as docs/architecture.md states them
    assertThat(config(byName.get("stackpilot.steps").path("spec")))
        .containsEntry("retention.ms", "-1")
        .containsEntry("cleanup.policy", "delete");
    assertThat(config(byName.get("stackpilot.probe-results").path("spec")))
        .containsEntry("retention.ms", Long.toString(30L * 24 * 3600 * 1000));
  }

  @Test
  void deadLetterAndInternalTopicsKeepWhatTheirCreatorsAskFor() {
    Map<String, JsonNode> byName = byTopicName();
    for (String service : StrimziTopics.SERVICES) {
      JsonNode spec = byName.get(Topic.deadLetterTopic(service)).path("spec");
      assertThat(spec.path("partitions").asInt()).isEqualTo(1);
      assertThat(spec.path("replicas").asInt()).isEqualTo(3);
      assertThat(config(spec))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "cleanup.policy",
                  "delete",
                  "retention.ms",
                  Long.toString(Topic.DEAD_LETTER_RETENTION_MILLIS)));
    }
    for (String internal :
        List.of("stackpilot.notifier.routed-alerts", "stackpilot.notifier.notification-log")) {
      JsonNode spec = byName.get(internal).path("spec");
      assertThat(spec.path("partitions").asInt()).isEqualTo(6);
      assertThat(spec.path("replicas").asInt()).isEqualTo(3);
      assertThat(config(spec)).containsEntry("cleanup.policy", "compact");
    }
    JsonNode schemas = byName.get("_schemas");
    assertThat(schemas.path("spec").path("partitions").asInt()).isEqualTo(1);
    assertThat(config(schemas.path("spec"))).containsEntry("cleanup.policy", "compact");
    assertThat(Manifests.name(schemas)).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  @Test
  void everyTopicIsAKafkaTopicOfTheStackpilotCluster() {
    String cluster = Manifests.name(kafka().get("Kafka", StrimziTopics.KAFKA_CLUSTER));
    for (JsonNode t : topics()) {
      assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
      assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .as(Manifests.describe(t))
          .isEqualTo(cluster);
      assertThat(Manifests.name(t)).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }
  }

  /** The dead-letter topics are named after spring.application.name: read from each service. */
  @Test
  void deadLetterServicesAreTheServicesApplicationNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (String service : List.of("planner", "applier", "verifier", "notifier")) {
      JsonNode config =
          Manifests.YAML.readTree(
              SERVICES.resolve(service + "/src/main/resources/" + service + ".yml").toFile());
      names.add(config.path("spring").path("application").path("name").asText());
    }
    assertThat(StrimziTopics.SERVICES).containsExactlyElementsOf(names);
  }

  @Test
  void kafkaHasThreeKraftNodesReplicationFactorThreeAndMinInsyncTwo() {
    Manifests kafka = kafka();
    JsonNode cluster = kafka.get("Kafka", StrimziTopics.KAFKA_CLUSTER);
    assertThat(cluster.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
    assertThat(cluster.path("metadata").path("annotations").path("strimzi.io/kraft").asText())
        .isEqualTo("enabled");
    assertThat(cluster.path("metadata").path("annotations").path("strimzi.io/node-pools").asText())
        .isEqualTo("enabled");
    assertThat(cluster.path("spec").has("zookeeper")).isFalse();
    JsonNode config = cluster.path("spec").path("kafka").path("config");
    assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
    assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
    assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(3);
    assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(3);
    assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(2);
    assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
    assertThat(cluster.path("spec").path("entityOperator").has("topicOperator")).isTrue();

    List<JsonNode> pools = kafka.ofKind("KafkaNodePool").toList();
    int brokers = 0;
    int controllers = 0;
    for (JsonNode pool : pools) {
      assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .isEqualTo(StrimziTopics.KAFKA_CLUSTER);
      Set<String> roles = new TreeSet<>();
      pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
      int replicas = pool.path("spec").path("replicas").asInt();
      brokers += roles.contains("broker") ? replicas : 0;
      controllers += roles.contains("controller") ? replicas : 0;
    }
    assertThat(brokers).isEqualTo(3);
    assertThat(controllers).isEqualTo(3);
    // a topic needs more replicas than min.insync.replicas, or one lost broker stops its writes
    topics()
        .forEach(
            t ->
                assertThat(t.path("spec").path("replicas").asInt())
                    .isGreaterThan(config.path("min.insync.replicas").asInt()));
  }

  private static List<JsonNode> topics() {
    List<JsonNode> topics = Manifests.read(TOPICS).all();
    assertThat(topics).allSatisfy(t -> assertThat(t.path("kind").asText()).isEqualTo("KafkaTopic"));
    return topics;
  }

  private static Map<String, JsonNode> byTopicName() {
    Map<String, JsonNode> byName = new HashMap<>();
    topics().forEach(t -> byName.put(t.path("spec").path("topicName").asText(), t));
    return byName;
  }

  private static Manifests kafka() {
    return Manifests.read(KAFKA);
  }

  private static Map<String, String> config(JsonNode spec) {
    Map<String, String> config = new HashMap<>();
    spec.path("config")
        .fields()
        .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return config;
  }
}
