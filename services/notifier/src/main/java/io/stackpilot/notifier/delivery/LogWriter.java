package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.runtime.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a transaction's records: log entries and routed-alert tombstones to the owned partition,
 * events to the catalog, unreadable records to the dead-letter topic.
 */
final class LogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String logTopic;
  private final String routedTopic;
  private final int partition;
  private final ObjectMapper json;
  private final NotificationEvents events;
  private final List<SpecificRecord> written = new ArrayList<>();

  LogWriter(
      KafkaProducer<String, byte[]> producer,
      String logTopic,
      String routedTopic,
      int partition,
      ObjectMapper json,
      NotificationEvents events) {
    this.producer = producer;
    this.logTopic = logTopic;
    this.routedTopic = routedTopic;
    this.partition = partition;
    this.json = json;
    this.events = events;
  }

  void log(LogEntry entry) {
    try {
      producer.send(
          new ProducerRecord<>(
              logTopic, partition, DeliveryStage.logKey(entry), json.writeValueAsBytes(entry)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("log entry not serializable", e);
    }
  }

  void tombstone(String key) {
    producer.send(new ProducerRecord<>(logTopic, partition, key, null));
  }

  /** A routed-alerts record of the owned partition (null: a tombstone). */
  void routed(String key, byte[] value) {
    producer.send(new ProducerRecord<>(routedTopic, partition, key, value));
  }

  /** A record of the internal topics that cannot be read, with its cause. */
  void deadLetter(ProducerRecord<String, byte[]> dead) {
    producer.send(dead);
  }

  void event(SpecificRecord event) {
    Topic topic = EventPublisher.topicOf(event);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic.topicName(), topic.keyOf(event), events.encode(topic, event));
    EventHeaders.of(Topic.envelopeOf(event), event.getSchema().getName())
        .forEach((k, v) -> record.headers().add(k, (byte[]) v));
    producer.send(record);
    written.add(event);
  }

  /** After the commit: the events are in. */
  void published() {
    for (SpecificRecord event : written) {
      LOG.info(
          "published {}[{}] to {}",
          event.getSchema().getName(),
          Topic.envelopeOf(event).getEventId(),
          EventPublisher.topicOf(event).topicName());
    }
  }
}
