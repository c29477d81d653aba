package io.stackpilot.deploy;

import io.stackpilot.contract.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Strimzi {@code KafkaTopic} resources of a production cluster, derived from the topic catalog
 * ({@link Topic}): every catalog topic, each service's dead-letter topic, and the internal topics
 * the notifier and the bundled registry create for themselves. {@code deploy/strimzi/topics.yaml}
 * is this class's output; {@code StrimziTopicsTest} fails when they differ.
 */
public final class StrimziTopics {

  /** The Strimzi {@code Kafka} resource the topics belong to (label {@code strimzi.io/cluster}). */
  public static final String KAFKA_CLUSTER = "stackpilot";

  /** Replicas of every topic: with min.insync.replicas 2, one broker may be down for writes. */
  public static final int REPLICAS = 3;

  /**
   * The services, by {@code spring.application.name}: each creates {@code stackpilot.dlq.<name>}
   * ({@link Topic#deadLetterTopic}).
   */
  public static final List<String> SERVICES = List.of("planner", "applier", "verifier", "notifier");

  /** The notifier's consumer-group prefix by default ({@code stackpilot.notifier.group}). */
  static final String NOTIFIER_GROUP = "notifier";

  /** Partitions of the notifier's internal topics by default ({@code internal-partitions}). */
  static final int NOTIFIER_INTERNAL_PARTITIONS = 6;

  /** The notifier's internal topics accept 4 MiB records (InternalTopics.create). */
  static final int NOTIFIER_INTERNAL_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** The bundled registry's store topic ({@code stackpilot.registry.topic}). */
  static final String REGISTRY_TOPIC = "_schemas";

  /**
   * One topic as a KafkaTopic resource.
   *
   * @param resourceName {@code metadata.name}: a Kubernetes name, so {@code _} is not allowed
   * @param why the comment above the resource: where the topic and its settings come from
   */
  public record TopicResource(
      String topicName,
      String resourceName,
      int partitions,
      int replicas,
      Map<String, String> config,
      String why) {}

  private StrimziTopics() {}

  /** Every topic a Stackpilot installation needs, catalog first, in catalog order. */
  public static List<TopicResource> all() {
    List<TopicResource> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(
          new TopicResource(
              topic.topicName(),
              topic.topicName(),
              topic.partitions(),
              REPLICAS,
              config(
                  "cleanup.policy",
                  topic.cleanupPolicy(),
                  "retention.ms",
                  Long.toString(topic.retention().millis()),
                  "max.message.bytes",
                  Integer.toString(topic.maxMessageBytes())),
              "Topic."
                  + topic.name()
                  + ": key "
                  + topic.key().name().toLowerCase(Locale.ROOT)
                  + ", retention "
                  + topic.retention().name()
                  + ", value "
                  + topic.valueType().getSimpleName()));
    }
    for (String service : SERVICES) {
      String name = Topic.deadLetterTopic(service);
      topics.add(
          new TopicResource(
              name,
              name,
              1,
              REPLICAS,
              config(
                  "cleanup.policy",
                  "delete",
                  "retention.ms",
                  Long.toString(Topic.DEAD_LETTER_RETENTION_MILLIS)),
              "dead letters of the " + service + " (Topic.deadLetterTopic): kept 7 days"));
    }
    for (String suffix : List.of("routed-alerts", "notification-log")) {
      String name = "stackpilot." + NOTIFIER_GROUP + "." + suffix;
      topics.add(
          new TopicResource(
              name,
              name,
              NOTIFIER_INTERNAL_PARTITIONS,
              REPLICAS,
              config(
                  "cleanup.policy",
                  "compact",
                  "max.message.bytes",
                  Integer.toString(NOTIFIER_INTERNAL_MAX_MESSAGE_BYTES)),
              "the notifier's state (InternalTopics): compacted, co-partitioned with its peer"));
    }
    topics.add(
        new TopicResource(
            REGISTRY_TOPIC,
            "stackpilot.registry-schemas",
            1,
            REPLICAS,
            config("cleanup.policy", "compact"),
            "the bundled registry's store (KafkaStore): one partition, compacted; not needed with"
                + " your own registry"));
    return topics;
  }

  /** The resources as one multi-document YAML file. */
  public static String yaml(List<TopicResource> topics) {
    StringBuilder out = new StringBuilder();
    out.append("# Generated from the topic catalog (schemas: io.stackpilot.contract.Topic) by\n")
        .append("# io.stackpilot.deploy.StrimziTopics. Do not edit: regenerate with\n")
        .append("#   ./mvnw -o -pl deploy/validation verify -Dstrimzi.update=true\n")
        .append(
            "# and review the diff. StrimziTopicsTest checks that this file matches the catalog.\n");
    for (TopicResource t : topics) {
      out.append("---\n")
          .append("# ")
          .append(t.why())
          .append('\n')
          .append("apiVersion: kafka.strimzi.io/v1beta2\n")
          .append("kind: KafkaTopic\n")
          .append("metadata:\n")
          .append("  name: ")
          .append(t.resourceName())
          .append('\n')
          .append("  labels:\n")
          .append("    strimzi.io/cluster: ")
          .append(KAFKA_CLUSTER)
          .append('\n')
          .append("    app.kubernetes.io/part-of: stackpilot\n")
          .append("spec:\n")
          .append("  topicName: ")
          .append(quoted(t.topicName()))
          .append('\n')
          .append("  partitions: ")
          .append(t.partitions())
          .append('\n')
          .append("  replicas: ")
          .append(t.replicas())
          .append('\n')
          .append("  config:\n");
      t.config()
          .forEach(
              (k, v) -> out.append("    ").append(k).append(": ").append(quoted(v)).append('\n'));
    }
    return out.toString();
  }

  /** Topic configuration in the order given (Map.of's order changes from one JVM to the next). */
  private static Map<String, String> config(String... keysAndValues) {
    Map<String, String> config = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /** Writes {@link #all()} to the file given (default {@code deploy/strimzi/topics.yaml}). */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "deploy/strimzi/topics.yaml");
    Files.writeString(target, yaml(all()), StandardCharsets.UTF_8);
    System.out.println("wrote " + all().size() + " KafkaTopic resources to " + target);
  }
}
