package io.stackpilot.runtime.metrics;

import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.ProducerListener;

/**
 * Counts the events a binding's producer wrote once the broker acknowledged them, by topic and the
 * event-type header {@link io.stackpilot.runtime.EventPublisher} sets: the producing side of {@link
 * StackpilotMetrics#EVENTS_PUBLISHED}, for {@code StreamBridge} sends and function outputs alike.
 */
public final class PublishedEvents implements ProducerListener<Object, Object> {
  private final StackpilotMetrics metrics;
  private final ProducerListener<Object, Object> delegate;

  /**
   * @param delegate the listener the binding had (it logs failed sends), still called
   */
  public PublishedEvents(StackpilotMetrics metrics, ProducerListener<Object, Object> delegate) {
    this.metrics = metrics;
    this.delegate = delegate;
  }

  @Override
  public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata metadata) {
    metrics.published(record.topic(), eventType(record));
    if (delegate != null) {
      delegate.onSuccess(record, metadata);
    }
  }

  @Override
  public void onError(
      ProducerRecord<Object, Object> record, RecordMetadata metadata, Exception exception) {
    if (delegate != null) {
      delegate.onError(record, metadata, exception);
    }
  }

  static String eventType(ProducerRecord<?, ?> record) {
    Header header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    return header == null || header.value() == null
        ? "unknown"
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
