package io.stackpilot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The ids an event's producer put in its headers are in the MDC while the record is handled. */
class MdcRecordInterceptorTest {
  final MdcRecordInterceptor interceptor = new MdcRecordInterceptor();

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void headersWrittenByThePublisherReachTheMdcAndLeaveWithTheRecord() {
    EventEnvelope envelope =
        EventEnvelope.newBuilder()
            .setEventId("e-2")
            .setOccurredAt(Instant.parse("2026-11-21T08:00:00Z"))
            .setActor("user:alice")
            .setCluster("perso")
            .setTenant("perso")
            .setCorrelationId("rollout-1")
            .setCausationId("e-1")
            .setProducer("applier")
            .build();
    ConsumerRecord<Object, Object> record = new ConsumerRecord<>("t", 0, 0L, "perso", new byte[0]);
    EventHeaders.of(envelope, "StepApplied")
        .forEach((name, value) -> record.headers().add(new RecordHeader(name, (byte[]) value)));

    interceptor.intercept(record, null);

    assertThat(MDC.getCopyOfContextMap())
        .containsAllEntriesOf(
            Map.of(
                "cluster", "perso",
                "correlationId", "rollout-1",
                "causationId", "e-1",
                "eventId", "e-2"));
    interceptor.afterRecord(record, null);
    assertThat(MDC.get("correlationId")).isNull();
    assertThat(MDC.get("cluster")).isNull();
  }

  @Test
  void headersAreRawUtf8SoAnyKafkaToolReadsThem() {
    EventEnvelope envelope =
        EventEnvelope.newBuilder()
            .setEventId("e")
            .setOccurredAt(Instant.EPOCH)
            .setActor("a")
            .setCorrelationId("r")
            .setProducer("planner")
            .build();
    Map<String, Object> headers = EventHeaders.of(envelope, "DesiredStateChanged");
    assertThat(
            new String((byte[]) headers.get(EventHeaders.CORRELATION_ID), StandardCharsets.UTF_8))
        .isEqualTo("r");
    assertThat(headers)
        .doesNotContainKey(EventHeaders.CAUSATION_ID)
        .doesNotContainKey(EventHeaders.CLUSTER);
  }
}
