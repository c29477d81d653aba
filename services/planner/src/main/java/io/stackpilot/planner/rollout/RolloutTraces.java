package io.stackpilot.planner.rollout;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.runtime.tracing.KafkaTraceContext;
import io.stackpilot.runtime.tracing.Tracing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The trace each rollout is in: the context of the last record read for it (its declaration, a
 * result, a verdict), so the events the loop writes later for that rollout, on a tick, continue the
 * trace of what moved it. Rebuilt from the records' {@code traceparent} headers on a restart. Owned
 * by the loop thread.
 */
final class RolloutTraces {
  private static final int MAX_ROLLOUTS = 10_000;

  private final String service;
  private final Map<String, Context> last =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
          return size() > MAX_ROLLOUTS;
        }
      };

  RolloutTraces(String service) {
    this.service = service;
  }

  /** Notes the trace of a record read for a rollout. */
  void read(ConsumerRecord<String, byte[]> record, SpecificRecord event) {
    Context context = KafkaTraceContext.extract(record.headers());
    String rollout = Topic.envelopeOf(event).getCorrelationId();
    if (rollout != null && Span.fromContext(context).getSpanContext().isValid()) {
      last.put(rollout, context);
    }
  }

  /**
   * Makes current the span the events are written in: the caller's (an API call handed to the
   * loop), which the rollout's trace then continues from; else a new "drive rollout" span, child of
   * the rollout's last read record; else nothing.
   */
  Scope writing(List<? extends SpecificRecord> events) {
    if (events.isEmpty()) {
      return Scope.noop();
    }
    EventEnvelope envelope = Topic.envelopeOf(events.get(0));
    String rollout = envelope.getCorrelationId();
    if (Span.current().getSpanContext().isValid()) {
      if (rollout != null) {
        last.put(rollout, Context.current());
      }
      return Scope.noop();
    }
    Context parent = rollout == null ? null : last.get(rollout);
    if (parent == null) {
      return Scope.noop();
    }
    Span span =
        Tracing.of(service) // looked up late: the loop is built before the service's tracer
            .work("drive rollout", parent)
            .setAttribute(Tracing.ROLLOUT_ID, rollout)
            .setAttribute("stackpilot.events", (long) events.size())
            .startSpan();
    if (envelope.getCluster() != null) {
      span.setAttribute(Tracing.CLUSTER, envelope.getCluster());
    }
    Scope scope = span.makeCurrent();
    return () -> {
      scope.close();
      span.end();
    };
  }
}
