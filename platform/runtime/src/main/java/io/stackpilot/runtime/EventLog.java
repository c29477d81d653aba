package io.stackpilot.runtime;

import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of a service loop that keeps its state in the log (the planner's rollout loop, the
 * applier's drift detector): one consumer that reads committed records only, one idempotent
 * producer, the registry serde, and the dead-letter topic of the service. Catalog topics, keys and
 * headers are set here as {@link EventPublisher} sets them for the stream bindings.
 *
 * <p>Not thread-safe, like the Kafka consumer it holds: the loop that opened it owns it.
 */
public final class EventLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  /** Where the loop connects, and the service's meters its reads, writes and lag go to. */
  public record Settings(String bootstrapServers, String registryUrl, StackpilotMetrics metrics) {
    /** Without meters (tools, tests). */
    public Settings(String bootstrapServers, String registryUrl) {
      this(bootstrapServers, registryUrl, StackpilotMetrics.NONE);
    }
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer();
  private final ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
  private final String deadLetterTopic;
  private final StackpilotMetrics metrics;
  private final AutoCloseable consumerMetrics;

  /**
   * @param service the service whose dead-letter topic gets the records that cannot be decoded
   * @param group the consumer group (for committed offsets or partition assignment)
   * @param consumerOverrides consumer settings beyond the defaults (assignor, ...)
   */
  public EventLog(
      Settings settings, String service, String group, Map<String, Object> consumerOverrides) {
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    consumerConfig.putAll(consumerOverrides);
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topic.MAX_EVENT_BYTES);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Map<String, Object> serde = new HashMap<>();
    serde.put(ConfluentAvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, settings.registryUrl());
    serde.put(ConfluentAvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, true);
    decoder.configure(serde, false);
    encoder.configure(serde, false);
    this.deadLetterTopic = Topic.deadLetterTopic(service);
    this.consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    this.metrics = settings.metrics();
    this.consumerMetrics = metrics.bind(consumer);
  }

  /** The service's meters (the loops count what they read with them). */
  public StackpilotMetrics metrics() {
    return metrics;
  }

  public KafkaConsumer<String, byte[]> consumer() {
    return consumer;
  }

  /**
   * The event a record holds.
   *
   * @throws RuntimeException when it is not a Stackpilot event the registry can decode
   */
  public SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
    Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
    if (!(value instanceof SpecificRecord specific)) {
      throw new IllegalArgumentException("not a Stackpilot event: " + value);
    }
    Topic.envelopeOf(specific);
    return specific;
  }

  /**
   * Writes events to their catalog topics and waits for the broker.
   *
   * @return for each event, whether the broker took it
   */
  public List<Boolean> write(List<? extends SpecificRecord> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (SpecificRecord event : events) {
      Topic topic = EventPublisher.topicOf(event);
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              topic.topicName(), topic.keyOf(event), encoder.serialize(topic.topicName(), event));
      EventHeaders.of(Topic.envelopeOf(event), event.getSchema().getName())
          .forEach((k, v) -> record.headers().add(k, (byte[]) v));
      sent.add(producer.send(record));
    }
    producer.flush();
    List<Boolean> written = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        RecordMetadata metadata = sent.get(i).get();
        metrics.published(metadata.topic(), events.get(i).getSchema().getName());
        written.add(true);
      } catch (Exception e) {
        LOG.error("could not write {}", EventPublisher.describe(events.get(i)), e);
        written.add(false);
      }
    }
    return written;
  }

  /** Sends a record that cannot be handled to the service's dead-letter topic, with the cause. */
  public void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      chain.append(chain.length() == 0 ? "" : " <- ").append(t.getMessage());
    }
    String reason = chain.toString();
    LOG.warn(
        "dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
    record.headers().forEach(dead.headers()::add);
    dead.headers()
        .add(EventHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8))
        .add("kafka_dlt-original-topic", record.topic().getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-exception-message",
            String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-original-offset",
            Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(dead).get();
      metrics.deadLettered(record.topic());
    } catch (Exception e) {
      throw new IllegalStateException("could not dead-letter " + record.topic(), e);
    }
  }

  /**
   * The partitions of a topic, waiting (up to about 30 s) for another service to create it.
   *
   * @param running false once the loop is asked to stop: the wait ends
   */
  public List<TopicPartition> partitionsOf(Topic topic, BooleanSupplier running) {
    for (int attempt = 0; ; attempt++) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      if (!running.getAsBoolean() || attempt > 30) {
        throw new IllegalStateException("topic " + topic.topicName() + " does not exist");
      }
      LOG.info("waiting for topic {}", topic.topicName());
      try {
        Thread.sleep(1_000); // topic creation is another service's start-up; nothing to await on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    StackpilotMetrics.unbind(consumerMetrics);
    consumer.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
  }
}
