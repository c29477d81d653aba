package io.stackpilot.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Re-drives a range of the log through the {@link StateFold} inside a sandbox named {@code id}: it
 * reads under its own consumer group {@code sandbox.<id>.replay} (and commits where the range ended
 * there, never in a service's group) and writes the derived state only to its own topic {@code
 * sandbox.<id>.fleet-state}: one record per cluster (key: cluster, value: its canonical state) and
 * one under the key {@code _fleet} with the whole state. It runs no service code: no cluster is
 * written to, no notification is sent. Two replays of one range must give the same bytes and hash;
 * nothing in the fold reads a clock or makes an id.
 */
public final class SandboxReplay {
  private static final Pattern ID = Pattern.compile("[a-zA-Z0-9-]{1,64}");

  /** What a replay derived, and where it wrote it. */
  public record Result(
      String sandboxId,
      String consumerGroup,
      String outputTopic,
      int events,
      String hash,
      byte[] canonical) {}

  private SandboxReplay() {}

  public static String prefix(String sandboxId) {
    return "sandbox." + sandboxId + ".";
  }

  public static Result run(
      TopicRangeReader.Settings settings, String sandboxId, TopicRangeReader.Range range) {
    if (!ID.matcher(sandboxId).matches()) {
      throw new IllegalArgumentException("sandbox id must match " + ID + ": " + sandboxId);
    }
    String group = prefix(sandboxId) + "replay";
    String output = prefix(sandboxId) + "fleet-state";
    TopicRangeReader.Loaded loaded =
        new TopicRangeReader(settings, group, Duration.ofSeconds(60)).read(range);
    FleetState state = StateFold.of(loaded.events()).state();
    commit(settings, group, loaded.endOffsets());
    write(settings, output, state);
    return new Result(
        sandboxId, group, output, loaded.events().size(), state.hash(), state.canonicalBytes());
  }

  /** The records of a sandbox's output topic, as key=value lines in offset order. */
  public static List<String> readBack(TopicRangeReader.Settings settings, String outputTopic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> lines = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(outputTopic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          lines.add(r.key() + "=" + new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return lines;
  }

  private static void commit(
      TopicRangeReader.Settings settings, String group, Map<TopicPartition, Long> end) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
      end.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
      consumer.assign(end.keySet());
      consumer.commitSync(offsets);
    }
  }

  private static void write(TopicRangeReader.Settings settings, String topic, FleetState state) {
    if (!topic.startsWith("sandbox.")) {
      throw new IllegalStateException("a sandbox writes only to sandbox.* topics: " + topic);
    }
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(
                          Map.of(
                              "max.message.bytes",
                              Integer.toString(io.stackpilot.contract.Topic.MAX_EVENT_BYTES)))))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, io.stackpilot.contract.Topic.MAX_EVENT_BYTES);
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      state
          .clusters()
          .forEach(
              (cluster, clusterState) ->
                  sent.add(
                      producer.send(
                          new ProducerRecord<>(
                              topic,
                              cluster,
                              FleetState.canonical(clusterState)
                                  .getBytes(StandardCharsets.UTF_8)))));
      sent.add(producer.send(new ProducerRecord<>(topic, "_fleet", state.canonicalBytes())));
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
