package io.stackpilot.runtime;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.runtime.tracing.KafkaTraceContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka record headers every Stackpilot event carries: the envelope's ids, readable by any Kafka
 * tool without decoding Avro (kcat -f '%h'), and the source of the MDC on the consuming side.
 */
public final class EventHeaders {
  public static final String EVENT_ID = "stackpilot-event-id";
  public static final String EVENT_TYPE = "stackpilot-event-type";
  public static final String CORRELATION_ID = "stackpilot-correlation-id";
  public static final String CAUSATION_ID = "stackpilot-causation-id";
  public static final String CLUSTER = "stackpilot-cluster";
  public static final String PRODUCER = "stackpilot-producer";

  /** On a dead-lettered record: why it could not be handled, with the innermost cause. */
  public static final String DLQ_REASON = "stackpilot-dlq-reason";

  /** MDC keys; the log pattern in stackpilot-defaults.properties prints them on every line. */
  public static final String MDC_CLUSTER = "cluster";

  public static final String MDC_CORRELATION_ID = "correlationId";
  public static final String MDC_CAUSATION_ID = "causationId";
  public static final String MDC_EVENT_ID = "eventId";

  private EventHeaders() {}

  /** Header name to raw UTF-8 bytes: byte[] values pass Spring's header mapper untouched. */
  public static Map<String, Object> of(EventEnvelope envelope, String eventType) {
    Map<String, Object> headers = new LinkedHashMap<>();
    put(headers, EVENT_ID, envelope.getEventId());
    put(headers, EVENT_TYPE, eventType);
    put(headers, CORRELATION_ID, envelope.getCorrelationId());
    put(headers, CAUSATION_ID, envelope.getCausationId());
    put(headers, CLUSTER, envelope.getCluster());
    put(headers, PRODUCER, envelope.getProducer());
    KafkaTraceContext.inject(headers); // traceparent of the span current while producing
    return headers;
  }

  /** Header name to its MDC key, for the headers that belong in every log line. */
  public static Map<String, String> mdcKeys() {
    return Map.of(
        CLUSTER, MDC_CLUSTER,
        CORRELATION_ID, MDC_CORRELATION_ID,
        CAUSATION_ID, MDC_CAUSATION_ID,
        EVENT_ID, MDC_EVENT_ID);
  }

  private static void put(Map<String, Object> headers, String name, String value) {
    if (value != null) {
      headers.put(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
