package io.stackpilot.runtime.metrics;

import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Counts what the stream bindings' listener containers read and times it from the event's time,
 * after the function has handled the record (or failed to): the consuming side of {@link
 * StackpilotMetrics#EVENTS_CONSUMED}. Raw consumer loops call {@link #record} themselves.
 */
public final class ConsumedEvents implements RecordInterceptor<Object, Object> {
  private final StackpilotMetrics metrics;

  public ConsumedEvents(StackpilotMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    return record;
  }

  @Override
  public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    record(metrics, record, record.value(), true);
  }

  @Override
  public void failure(
      ConsumerRecord<Object, Object> record,
      Exception exception,
      Consumer<Object, Object> consumer) {
    record(metrics, record, record.value(), false);
  }

  /**
   * Counts one record; {@code event} is its decoded value when there is one (a record that could
   * not be decoded counts under the type its header names, or {@code unknown}).
   */
  public static void record(
      StackpilotMetrics metrics, ConsumerRecord<?, ?> record, Object event, boolean handled) {
    String type = eventType(record, event);
    Instant time = eventTime(record, event);
    metrics.consumed(record.topic(), type, handled, time);
  }

  static String eventType(ConsumerRecord<?, ?> record, Object event) {
    if (event instanceof SpecificRecord specific) {
      return specific.getSchema().getName();
    }
    Header header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    return header == null || header.value() == null
        ? "unknown"
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The envelope's time when the value is an event, else the record's own timestamp. */
  static Instant eventTime(ConsumerRecord<?, ?> record, Object event) {
    if (event instanceof SpecificRecord specific
        && specific.getSchema().getField("envelope") != null) {
      return Topic.envelopeOf(specific).getOccurredAt();
    }
    return record.timestamp() > 0 ? Instant.ofEpochMilli(record.timestamp()) : null;
  }
}
