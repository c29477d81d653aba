package io.stackpilot.runtime.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.stackpilot.runtime.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One service's tracer: its own SDK tracer provider with {@code service.name=stackpilot-<service>},
 * exporting OTLP over http/protobuf, or a no-op when no endpoint is configured. Never the global
 * OpenTelemetry: the four services can share one JVM (the e2e tests), each with its own name.
 *
 * <p>Code outside Spring (the raw consumer loops) finds its service's tracer with {@link #of}, by
 * the service name it already passes to its loop.
 */
public final class Tracing implements AutoCloseable {
  public static final AttributeKey<String> CLUSTER = AttributeKey.stringKey("stackpilot.cluster");
  public static final AttributeKey<String> ROLLOUT_ID =
      AttributeKey.stringKey("stackpilot.rollout_id");
  public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("stackpilot.event_id");
  public static final AttributeKey<String> EVENT_TYPE =
      AttributeKey.stringKey("stackpilot.event_type");

  private static final String SCOPE = "io.stackpilot.runtime";
  private static final Map<String, Tracing> BY_SERVICE = new ConcurrentHashMap<>();

  /** How spans leave the service; a null or blank endpoint means tracing is off. */
  public record Settings(String otlpEndpoint, double samplingProbability, Duration exportDelay) {
    public boolean enabled() {
      return otlpEndpoint != null && !otlpEndpoint.isBlank();
    }
  }

  private final String service;
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(String service, SdkTracerProvider provider) {
    this.service = service;
    this.provider = provider;
    this.tracer = provider == null ? TracerProvider.noop().get(SCOPE) : provider.get(SCOPE);
  }

  /** A tracer that records nothing (tracing off, or a class used outside a service). */
  public static Tracing noop(String service) {
    return new Tracing(service, null);
  }

  /** The service's tracer as {@code settings} say, registered for {@link #of} until closed. */
  public static Tracing start(String service, Settings settings) {
    Tracing tracing;
    if (!settings.enabled()) {
      tracing = noop(service);
    } else {
      OtlpHttpSpanExporter exporter =
          OtlpHttpSpanExporter.builder().setEndpoint(settings.otlpEndpoint()).build();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.getDefault()
                      .merge(
                          Resource.create(
                              Attributes.of(
                                  AttributeKey.stringKey("service.name"),
                                  "stackpilot-" + service))))
              .setSampler(
                  Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingProbability())))
              .addSpanProcessor(
                  BatchSpanProcessor.builder(exporter)
                      .setScheduleDelay(settings.exportDelay())
                      .build())
              .build();
      tracing = new Tracing(service, provider);
    }
    BY_SERVICE.put(service, tracing);
    return tracing;
  }

  /** A tracer on a provider built elsewhere (tests: an in-memory exporter); not registered. */
  static Tracing on(String service, SdkTracerProvider provider) {
    return new Tracing(service, provider);
  }

  /** The tracer the service's context started, or a no-op one when there is none. */
  public static Tracing of(String service) {
    Tracing tracing = BY_SERVICE.get(service);
    return tracing == null ? noop(service) : tracing;
  }

  public Tracer tracer() {
    return tracer;
  }

  public boolean enabled() {
    return provider != null;
  }

  /**
   * A span for handling a consumed record, child of the span that produced it (its {@code
   * traceparent} header), with the record's place and the event's ids as attributes. The caller
   * makes it current and ends it.
   */
  public Span consume(String name, ConsumerRecord<?, ?> record) {
    SpanBuilder builder =
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(KafkaTraceContext.extract(record.headers()))
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.operation.type", "process")
            .setAttribute("messaging.destination.name", record.topic())
            .setAttribute(
                "messaging.destination.partition.id", Integer.toString(record.partition()))
            .setAttribute("messaging.kafka.offset", record.offset());
    return eventAttributes(builder, record.headers()).startSpan();
  }

  /** A span for work caused by the event whose context is {@code parent}. */
  public SpanBuilder work(String name, Context parent) {
    return tracer.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).setParent(parent);
  }

  /** Copies the event ids the record's headers carry (cluster, rollout, event) onto the span. */
  static SpanBuilder eventAttributes(SpanBuilder builder, Headers headers) {
    put(builder, CLUSTER, headers, EventHeaders.CLUSTER);
    put(builder, ROLLOUT_ID, headers, EventHeaders.CORRELATION_ID);
    put(builder, EVENT_ID, headers, EventHeaders.EVENT_ID);
    put(builder, EVENT_TYPE, headers, EventHeaders.EVENT_TYPE);
    return builder;
  }

  private static void put(
      SpanBuilder builder, AttributeKey<String> key, Headers headers, String header) {
    Header h = headers.lastHeader(header);
    if (h != null && h.value() != null) {
      builder.setAttribute(key, new String(h.value(), StandardCharsets.UTF_8));
    }
  }

  /** Epoch nanoseconds now, for a span that starts before it is known to be worth recording. */
  public static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  /** Exports what is buffered (for tests and shutdown). */
  public void flush() {
    if (provider != null) {
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    BY_SERVICE.remove(service, this);
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
