package io.stackpilot.runtime.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers, as UTF-8
 * text that any Kafka tool shows ({@code kcat -f '%h'}). Injection reads the current context, so
 * every producer that builds its headers through {@code EventHeaders.of} carries it.
 */
public final class KafkaTraceContext {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Headers> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          List<String> keys = new ArrayList<>();
          carrier.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
          Header h = carrier == null ? null : carrier.lastHeader(key);
          return h == null || h.value() == null
              ? null
              : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  private static final TextMapGetter<String> TRACEPARENT_ONLY =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  private KafkaTraceContext() {}

  /** Adds the current trace context to headers meant for a Spring message (byte[] values). */
  public static void inject(Map<String, Object> headers) {
    W3C.inject(
        Context.current(),
        headers,
        (carrier, key, value) -> carrier.put(key, value.getBytes(StandardCharsets.UTF_8)));
  }

  /** The context a record's headers carry, as the parent of the span that handles it. */
  public static Context extract(Headers headers) {
    return W3C.extract(Context.root(), headers, HEADERS);
  }

  /** The current context's {@code traceparent}, or null when no span is current. */
  public static String currentTraceparent() {
    Map<String, Object> headers = new java.util.HashMap<>();
    inject(headers);
    Object value = headers.get(TRACEPARENT);
    return value == null ? null : new String((byte[]) value, StandardCharsets.UTF_8);
  }

  /** The context a stored {@code traceparent} names (the root context when it is null). */
  public static Context fromTraceparent(String traceparent) {
    return traceparent == null
        ? Context.root()
        : W3C.extract(Context.root(), traceparent, TRACEPARENT_ONLY);
  }
}
