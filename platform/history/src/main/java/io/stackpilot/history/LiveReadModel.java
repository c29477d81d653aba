package io.stackpilot.history;

import io.stackpilot.contract.Topic;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The live read model: a consumer that follows the topics from their beginning and applies each
 * event to a {@link StateFold} as it arrives, in whatever order the partitions deliver. After each
 * event it hands a {@link Checkpoint} to its listener: the event, the cut of the log it has read
 * (per partition, the next offset), and the state's hash, so the point-in-time state at that cut
 * can be compared with it. Runs on its own thread; the fold is touched by that thread only.
 */
public final class LiveReadModel implements AutoCloseable {

  /** The read model right after applying {@code event}. */
  public record Checkpoint(
      RecordedEvent event, Map<TopicPartition, Long> cut, long events, String hash) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final ConfluentAvroDeserializer decoder;
  private final StateFold fold = new StateFold();
  private final Consumer<Checkpoint> listener;
  private final Thread thread;
  private final Map<TopicPartition, Long> cut = new HashMap<>();
  private volatile String hash;
  private volatile boolean running = true;

  /**
   * @param topics the topics to follow; the whole catalog when empty. They must exist.
   */
  public LiveReadModel(
      TopicRangeReader.Settings settings,
      Collection<String> topics,
      Consumer<Checkpoint> listener) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "stackpilot-history-live");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.decoder = ConfluentAvroDeserializer.specific(settings.registryUrl());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics.isEmpty() ? Topic.allNames() : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.hash = fold.state().hash();
    this.listener = listener;
    this.thread = new Thread(this::run, "history-live-read-model");
    thread.setDaemon(true);
    thread.start();
  }

  /** The hash of the state as of the last event applied. */
  public String hash() {
    return hash;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          cut.put(tp, record.offset() + 1);
          SpecificRecord event;
          try {
            Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
            if (!(value instanceof SpecificRecord specific)) {
              continue;
            }
            event = specific;
            Topic.envelopeOf(event);
          } catch (RuntimeException e) {
            continue; // a poison record is no fact: the range reader skips it too
          }
          fold.apply(event);
          FleetState state = fold.state();
          hash = state.hash();
          listener.accept(
              new Checkpoint(
                  new RecordedEvent(record.topic(), record.partition(), record.offset(), event),
                  Map.copyOf(cut),
                  state.events(),
                  hash));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
