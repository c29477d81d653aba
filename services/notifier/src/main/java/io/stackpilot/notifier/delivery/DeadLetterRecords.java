package io.stackpilot.notifier.delivery;

import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's dead-letter record (docs/events.md): the poison record's key, bytes and headers,
 * with the cause chain in {@code stackpilot-dlq-reason} and spring-kafka's {@code kafka_dlt-*}
 * headers, as the listener containers of the other services write them.
 */
final class DeadLetterRecords {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecords.class);

  private DeadLetterRecords() {}

  static ProducerRecord<String, byte[]> of(
      String deadLetterTopic, ConsumerRecord<String, byte[]> record, Throwable cause) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      chain.append(chain.length() == 0 ? "" : " <- ").append(t.getMessage());
    }
    LOG.warn(
        "dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), chain);
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
    record.headers().forEach(dead.headers()::add);
    dead.headers()
        .add(EventHeaders.DLQ_REASON, chain.toString().getBytes(StandardCharsets.UTF_8))
        .add("kafka_dlt-original-topic", record.topic().getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-original-partition",
            Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-exception-fqcn", cause.getClass().getName().getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-exception-message",
            String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-original-offset",
            Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    return dead;
  }
}
