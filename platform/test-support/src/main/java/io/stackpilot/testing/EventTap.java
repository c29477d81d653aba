package io.stackpilot.testing;

import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning in the background, as an outside integrator would: a plain
 * KafkaConsumer with the Confluent-wire-format deserializer. Tests await what it has seen.
 */
public final class EventTap implements AutoCloseable {
  private final List<ConsumerRecord<String, Object>> records = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, Object> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  private EventTap(KafkaConsumer<String, Object> consumer, Collection<String> topics) {
    this.consumer = consumer;
    consumer.subscribe(topics);
    this.thread = new Thread(this::poll, "event-tap");
    thread.setDaemon(true);
    thread.start();
  }

  /** Decoded records (SpecificRecords) of the given topics. */
  public static EventTap avro(String bootstrap, String registryUrl, Collection<String> topics) {
    Properties props = props(bootstrap);
    props.put("schema.registry.url", registryUrl);
    props.put("specific.avro.reader", "true");
    return new EventTap(
        new KafkaConsumer<>(props, new StringDeserializer(), deserializer(registryUrl)), topics);
  }

  /** Raw records (byte[] values): for dead-letter topics and wire-format checks. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static EventTap raw(String bootstrap, Collection<String> topics) {
    KafkaConsumer consumer =
        new KafkaConsumer<>(
            props(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
    return new EventTap(consumer, topics);
  }

  private static ConfluentAvroDeserializer deserializer(String registryUrl) {
    return ConfluentAvroDeserializer.specific(registryUrl);
  }

  private static Properties props(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "event-tap-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
    // what the services see: a rolled-back transaction's records are not facts
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  private void poll() {
    try {
      while (running) {
        try {
          consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        } catch (RecordDeserializationException e) {
          // a poison record (other tests write them on purpose): skip it, as an integrator would
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  public List<ConsumerRecord<String, Object>> records() {
    return List.copyOf(records);
  }

  /** Values of a given type, in the order they were read. */
  public <T> List<T> values(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (ConsumerRecord<String, Object> record : records) {
      if (type.isInstance(record.value())) {
        out.add(type.cast(record.value()));
      }
    }
    return out;
  }

  public List<ConsumerRecord<String, Object>> matching(
      Predicate<ConsumerRecord<String, Object>> p) {
    return records.stream().filter(p).toList();
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
