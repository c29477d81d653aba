package io.stackpilot.history;

import io.stackpilot.contract.Topic;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Loads a range of the topics: every partition assigned (no group, nothing committed), from the
 * beginning or from a timestamp, up to the end offsets as they were when the read began, values
 * decoded from the Confluent wire format through the registry as {@code EventLog} decodes them.
 * Only committed records are read, as every Stackpilot service reads them.
 */
public final class TopicRangeReader {

  /** Where to read. */
  public record Settings(String bootstrapServers, String registryUrl) {}

  /**
   * What to read.
   *
   * @param topics topic names; the whole catalog when empty
   * @param from first record time (the broker's record timestamp); null: from the beginning
   * @param ends where each partition's range ends (exclusive), e.g. a {@link Loaded#endOffsets()}
   *     to read the same range again; null: the end offsets when the read begins
   */
  public record Range(Collection<String> topics, Instant from, Map<TopicPartition, Long> ends) {
    public Range(Collection<String> topics, Instant from) {
      this(topics, from, null);
    }

    public static Range everything() {
      return new Range(List.of(), null, null);
    }

    /** The same topics and start, ending where a loaded range ended. */
    public Range endingAt(Map<TopicPartition, Long> endOffsets) {
      return new Range(topics, from, Map.copyOf(endOffsets));
    }

    List<String> topicNames() {
      return topics == null || topics.isEmpty() ? Topic.allNames() : List.copyOf(topics);
    }
  }

  /**
   * A loaded range.
   *
   * @param endOffsets where each partition ended when the read began (the range's end)
   * @param skipped records that could not be decoded, as topic-partition@offset: cause
   */
  public record Loaded(
      List<RecordedEvent> events, Map<TopicPartition, Long> endOffsets, List<String> skipped) {
    public FleetHistory history() {
      return new FleetHistory(events);
    }
  }

  private final Settings settings;
  private final String group;
  private final Duration timeout;

  public TopicRangeReader(Settings settings) {
    this(settings, null, Duration.ofSeconds(60));
  }

  /**
   * @param group a consumer group id to read under (a sandbox names its own), or null for none;
   *     either way partitions are assigned, not subscribed, and nothing is committed here
   */
  public TopicRangeReader(Settings settings, String group, Duration timeout) {
    this.settings = settings;
    this.group = group;
    this.timeout = timeout;
  }

  private Duration metadataTimeout() {
    return timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
  }

  /**
   * Reads the range.
   *
   * @throws org.apache.kafka.common.KafkaException when the brokers do not answer in time, or the
   *     range could not be read to its end in time ({@link TimeoutException})
   */
  public Loaded read(Range range) {
    ConfluentAvroDeserializer decoder = ConfluentAvroDeserializer.specific(settings.registryUrl());
    try (decoder;
        KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : range.topicNames()) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout());
        if (infos != null) {
          infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end =
          new HashMap<>(consumer.endOffsets(partitions, metadataTimeout()));
      if (range.ends() != null) {
        end.replaceAll((tp, latest) -> Math.min(latest, range.ends().getOrDefault(tp, 0L)));
      }
      seekToStart(consumer, partitions, range.from(), end);
      List<RecordedEvent> events = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!caughtUp(consumer, partitions, end)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "could not read the range within " + timeout + ": ends " + end);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.getOrDefault(tp, 0L)) {
            continue; // written after the read began: outside the range
          }
          try {
            Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
            if (value instanceof SpecificRecord event) {
              Topic.envelopeOf(event);
              events.add(
                  new RecordedEvent(record.topic(), record.partition(), record.offset(), event));
            } else {
              skipped.add(position(record) + ": not a Stackpilot event");
            }
          } catch (RuntimeException e) {
            skipped.add(position(record) + ": " + e.getMessage());
          }
        }
      }
      return new Loaded(List.copyOf(events), Map.copyOf(end), List.copyOf(skipped));
    }
  }

  private static void seekToStart(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Instant from,
      Map<TopicPartition, Long> end) {
    if (from == null) {
      consumer.seekToBeginning(partitions);
      return;
    }
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = found.get(tp);
      consumer.seek(tp, at == null ? end.getOrDefault(tp, 0L) : at.offset());
    }
  }

  private static boolean caughtUp(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    for (TopicPartition tp : partitions) {
      if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
        return false;
      }
    }
    return true;
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    if (group != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    props.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "stackpilot-history" + (group == null ? "" : "-" + group));
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
