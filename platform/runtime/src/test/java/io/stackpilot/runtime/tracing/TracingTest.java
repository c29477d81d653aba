package io.stackpilot.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trace context into the event headers on the producing side and out of them when consuming. */
class TracingTest {
  final List<SpanData> exported = new CopyOnWriteArrayList<>();
  final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(
              SimpleSpanProcessor.create(
                  new SpanExporter() {
                    @Override
                    public CompletableResultCode export(Collection<SpanData> spans) {
                      exported.addAll(spans);
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode flush() {
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                      return CompletableResultCode.ofSuccess();
                    }
                  }))
          .build();
  final Tracing tracing = Tracing.on("applier", provider);

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void eventHeadersCarryTheTraceparentOfTheCurrentSpanAndNoneOutsideASpan() {
    assertThat(EventHeaders.of(envelope(), "StepApplied")).doesNotContainKey("traceparent");

    Span span = tracing.tracer().spanBuilder("apply").startSpan();
    try (Scope scope = span.makeCurrent()) {
      Map<String, Object> headers = EventHeaders.of(envelope(), "StepApplied");
      SpanContext context = span.getSpanContext();
      assertThat(headers).containsKey("traceparent");
      assertThat(new String((byte[]) headers.get("traceparent"), StandardCharsets.UTF_8))
          .isEqualTo("00-" + context.getTraceId() + "-" + context.getSpanId() + "-01");
    } finally {
      span.end();
    }
  }

  @Test
  void aBindingHandlesARecordInAConsumerSpanChildOfItsProducerWithTheEventIds() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String producer = "00f067aa0ba902b7";
    ConsumerRecord<Object, Object> record =
        new ConsumerRecord<>("stackpilot.steps", 2, 41L, "perso", new byte[0]);
    record.headers().add(header("traceparent", "00-" + traceId + "-" + producer + "-01"));
    record.headers().add(header(EventHeaders.CLUSTER, "perso"));
    record.headers().add(header(EventHeaders.CORRELATION_ID, "rollout-1"));
    TracingRecordInterceptor interceptor = new TracingRecordInterceptor(tracing);

    interceptor.intercept(record, null);
    SpanContext current = Span.current().getSpanContext();
    String produced = KafkaTraceContext.currentTraceparent();
    interceptor.afterRecord(record, null);

    assertThat(current.getTraceId()).isEqualTo(traceId);
    assertThat(produced).isEqualTo("00-" + traceId + "-" + current.getSpanId() + "-01");
    assertThat(Span.current().getSpanContext().isValid()).as("scope closed").isFalse();
    assertThat(exported).hasSize(1);
    SpanData span = exported.get(0);
    assertThat(span.getName()).isEqualTo("stackpilot.steps process");
    assertThat(span.getParentSpanId()).isEqualTo(producer);
    assertThat(span.getAttributes().get(Tracing.CLUSTER)).isEqualTo("perso");
    assertThat(span.getAttributes().get(Tracing.ROLLOUT_ID)).isEqualTo("rollout-1");
  }

  @Test
  void aStoredTraceparentNamesTheSameContextAgain() {
    Span span = tracing.tracer().spanBuilder("route").startSpan();
    try (Scope scope = span.makeCurrent()) {
      String stored = KafkaTraceContext.currentTraceparent();
      assertThat(Span.fromContext(KafkaTraceContext.fromTraceparent(stored)).getSpanContext())
          .extracting(SpanContext::getTraceId, SpanContext::getSpanId, SpanContext::isRemote)
          .containsExactly(
              span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId(), true);
    } finally {
      span.end();
    }
    assertThat(KafkaTraceContext.currentTraceparent()).isNull();
    assertThat(Span.fromContext(KafkaTraceContext.fromTraceparent(null)).getSpanContext().isValid())
        .isFalse();
  }

  private static RecordHeader header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static EventEnvelope envelope() {
    return EventEnvelope.newBuilder()
        .setEventId("e1")
        .setOccurredAt(Instant.EPOCH)
        .setActor("user:test")
        .setCluster("perso")
        .setTenant(null)
        .setCorrelationId("rollout-1")
        .setCausationId(null)
        .setProducer("applier")
        .build();
  }
}
