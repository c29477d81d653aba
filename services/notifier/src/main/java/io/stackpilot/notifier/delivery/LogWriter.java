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

/** Writes a transaction's records: log entries to the owned partition, events to the catalog. */
final class LogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String logTopic;
  private final int partition;
  private final ObjectMapper json;
  private final NotificationEvents events;
  private final List<SpecificRecord> written = new ArrayList<>();

  LogWriter(
      KafkaProducer<String, byte[]> producer,
      String logTopic,
      int partition,
      ObjectMapper json,
      NotificationEvents events) {
    this.producer = producer;
    this.logTopic = logTopic;
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
