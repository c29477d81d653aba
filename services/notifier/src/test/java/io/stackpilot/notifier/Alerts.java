package io.stackpilot.notifier;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes AlertStatusChanged events to stackpilot.alerts, keyed by fingerprint, as a source would.
 */
final class Alerts implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();

  Alerts(String bootstrap, String registryUrl) {
    serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  static AlertStatusChanged event(
      Map<String, String> labels, AlertStatus status, Instant startsAt, Instant endsAt) {
    String fingerprint = new TreeMap<>(labels).toString();
    return AlertStatusChanged.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(endsAt == null ? startsAt : endsAt)
                .setActor("service:prometheus")
                .setCluster(labels.getOrDefault("cluster", "c1"))
                .setCorrelationId("alerts")
                .setProducer("test")
                .build())
        .setStatus(status)
        .setFingerprint(fingerprint)
        .setLabels(labels)
        .setStartsAt(startsAt)
        .setEndsAt(endsAt)
        .build();
  }

  void send(List<AlertStatusChanged> events) {
    String topic = Topic.ALERTS.topicName();
    for (AlertStatusChanged e : events) {
      producer.send(
          new ProducerRecord<>(topic, e.getFingerprint(), serializer.serialize(topic, e)));
    }
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
