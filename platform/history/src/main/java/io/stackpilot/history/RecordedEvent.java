package io.stackpilot.history;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import java.util.Comparator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;

/** One decoded event and where the log holds it. */
public record RecordedEvent(String topic, int partition, long offset, SpecificRecord event) {

  /** Log order of two events: occurredAt, then topic, partition and offset (a total order). */
  public static final Comparator<RecordedEvent> BY_TIME_THEN_POSITION =
      Comparator.comparing((RecordedEvent e) -> e.envelope().getOccurredAt())
          .thenComparing(RecordedEvent::topic)
          .thenComparingInt(RecordedEvent::partition)
          .thenComparingLong(RecordedEvent::offset);

  public EventEnvelope envelope() {
    return Topic.envelopeOf(event);
  }

  public String type() {
    return event.getSchema().getName();
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** topic-partition@offset: where to find it with any Kafka tool. */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }
}
