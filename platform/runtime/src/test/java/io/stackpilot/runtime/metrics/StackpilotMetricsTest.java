package io.stackpilot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What the interceptor, the producer listener and the dead-letter counter record, by label. */
class StackpilotMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final StackpilotMetrics metrics = new StackpilotMetrics(registry);

  @Test
  void countsConsumedRecordsByTopicTypeAndOutcomeAndTimesTheHandledOnes() {
    ConsumedEvents interceptor = new ConsumedEvents(metrics);
    ConsumerRecord<Object, Object> record = record("stackpilot.steps", "StepRequested");
    interceptor.success(record, null);
    interceptor.success(record, null);
    interceptor.failure(record, new IllegalStateException("boom"), null);

    assertThat(consumed("handled")).isEqualTo(2);
    assertThat(consumed("failed")).isEqualTo(1);
    assertThat(
            registry
                .get(StackpilotMetrics.EVENT_LATENCY)
                .tags("topic", "stackpilot.steps", "event_type", "StepRequested")
                .timer()
                .count())
        .isEqualTo(2);
    // from the record's time (no decoded value here), about a second ago
    assertThat(
            registry
                .get(StackpilotMetrics.EVENT_LATENCY)
                .timer()
                .max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isBetween(1_000.0, 60_000.0);
  }

  @Test
  void aRecordWithoutTypeHeaderOrValueCountsAsUnknown() {
    ConsumerRecord<Object, Object> record =
        new ConsumerRecord<>("stackpilot.steps", 0, 0, "k", new byte[] {1});
    ConsumedEvents.record(metrics, record, null, false);
    assertThat(
            registry
                .get(StackpilotMetrics.EVENTS_CONSUMED)
                .tags("event_type", "unknown", "outcome", "failed")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void countsPublishedEventsOnlyOnceAcknowledged() {
    PublishedEvents listener = new PublishedEvents(metrics, null);
    ProducerRecord<Object, Object> record =
        new ProducerRecord<>("stackpilot.step-applied", "foundation", "v");
    record.headers().add(EventHeaders.EVENT_TYPE, "StepApplied".getBytes(StandardCharsets.UTF_8));
    RecordMetadata metadata =
        new RecordMetadata(new TopicPartition("stackpilot.step-applied", 0), 0, 0, 0, 0, 0);
    listener.onError(record, metadata, new RuntimeException("not acknowledged"));
    assertThat(registry.find(StackpilotMetrics.EVENTS_PUBLISHED).counter()).isNull();
    listener.onSuccess(record, metadata);
    assertThat(
            registry
                .get(StackpilotMetrics.EVENTS_PUBLISHED)
                .tags("topic", "stackpilot.step-applied", "event_type", "StepApplied")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void deadLetterCountersExistAtZeroAndCountByInputTopic() {
    metrics.deadLetterCounter("stackpilot.steps");
    assertThat(deadLetters("stackpilot.steps")).isZero();
    metrics.deadLettered("stackpilot.steps");
    metrics.deadLettered("stackpilot.drift");
    assertThat(deadLetters("stackpilot.steps")).isEqualTo(1);
    assertThat(deadLetters("stackpilot.drift")).isEqualTo(1);
  }

  private double consumed(String outcome) {
    return registry
        .get(StackpilotMetrics.EVENTS_CONSUMED)
        .tags("topic", "stackpilot.steps", "event_type", "StepRequested", "outcome", outcome)
        .counter()
        .count();
  }

  private double deadLetters(String topic) {
    return registry.get(StackpilotMetrics.DEAD_LETTERS).tag("topic", topic).counter().count();
  }

  private static ConsumerRecord<Object, Object> record(String topic, String type) {
    ConsumerRecord<Object, Object> record =
        new ConsumerRecord<>(
            topic,
            0,
            0,
            System.currentTimeMillis() - 1_000,
            TimestampType.CREATE_TIME,
            1,
            0,
            "k",
            new byte[0],
            new RecordHeaders(),
            Optional.empty());
    record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
    return record;
  }
}
