package io.stackpilot.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The meters of one service, in that service's own registry (the four services share a JVM in the
 * e2e tests, so nothing here is static): events in and out, processing latency, dead letters,
 * outcomes, and Kafka client metrics of the raw consumers. Every name starts with {@code
 * stackpilot.}; labels are bounded ({@code topic}, {@code event_type}, {@code outcome}, a channel
 * or check kind), never a cluster or an id. See docs/observability.md.
 */
public final class StackpilotMetrics {
  /**
   * Events a service read, by topic, event type and outcome ({@code handled} or {@code failed}).
   */
  public static final String EVENTS_CONSUMED = "stackpilot.events.consumed";

  /** Events a service wrote (acknowledged by the broker), by topic and event type. */
  public static final String EVENTS_PUBLISHED = "stackpilot.events.published";

  /** From the event's time (its envelope) to the end of its handling, by topic and event type. */
  public static final String EVENT_LATENCY = "stackpilot.event.latency";

  /** Records sent to the service's dead-letter topic, by the topic they were read from. */
  public static final String DEAD_LETTERS = "stackpilot.dead.letters";

  /** Tag names: the only ones Stackpilot's own meters use besides {@code service}. */
  public static final String TOPIC = "topic";

  public static final String EVENT_TYPE = "event_type";
  public static final String OUTCOME = "outcome";

  /** Latency buckets (seconds) that keep the histogram at ten series per topic and type. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  /** Meters that go nowhere: for code built outside a Spring context (tools, unit tests). */
  public static final StackpilotMetrics NONE = new StackpilotMetrics(new CompositeMeterRegistry());

  private final MeterRegistry registry;

  public StackpilotMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An event read and handled (or not), with its latency from the event's time. */
  public void consumed(String topic, String eventType, boolean handled, Instant eventTime) {
    Counter.builder(EVENTS_CONSUMED)
        .description("Events read from Kafka by this service")
        .tag(TOPIC, topic)
        .tag(EVENT_TYPE, eventType)
        .tag(OUTCOME, handled ? "handled" : "failed")
        .register(registry)
        .increment();
    if (handled && eventTime != null) {
      Duration latency = Duration.between(eventTime, Instant.now());
      Timer.builder(EVENT_LATENCY)
          .description("From an event's time to the end of its handling by this service")
          .tag(TOPIC, topic)
          .tag(EVENT_TYPE, eventType)
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry)
          .record(latency.isNegative() ? Duration.ZERO : latency);
    }
  }

  /** An event the broker acknowledged. */
  public void published(String topic, String eventType) {
    Counter.builder(EVENTS_PUBLISHED)
        .description("Events written to Kafka by this service, acknowledged by the broker")
        .tag(TOPIC, topic)
        .tag(EVENT_TYPE, eventType)
        .register(registry)
        .increment();
  }

  /** A record that went to the dead-letter topic, by the topic it was read from. */
  public void deadLettered(String topic) {
    deadLetterCounter(topic).increment();
  }

  /**
   * The dead-letter counter of an input topic, registered (at zero) when a consumer of the topic
   * starts, so that the series exists and {@code increase()} counts the first record.
   */
  public Counter deadLetterCounter(String topic) {
    return Counter.builder(DEAD_LETTERS)
        .description("Records this service sent to its dead-letter topic")
        .tag(TOPIC, topic)
        .register(registry);
  }

  /**
   * One outcome of a service's own work, e.g. {@code stackpilot.applier.steps} with {@code
   * outcome=applied}; {@code tags} are further name/value pairs of bounded label values.
   */
  public void outcome(String name, String description, String outcome, String... tags) {
    Counter.builder(name)
        .description(description)
        .tag(OUTCOME, outcome)
        .tags(tags)
        .register(registry)
        .increment();
  }

  /**
   * Binds a consumer's Kafka client metrics (fetch rate, {@code records-lag-max}, ...) to this
   * service's registry until the returned handle is closed, which must happen when the consumer is
   * closed.
   */
  public AutoCloseable bind(Consumer<?, ?> consumer) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
    metrics.bindTo(registry);
    return metrics::close;
  }

  /** As {@link #bind(Consumer)}, for a producer (send rate, errors). */
  public AutoCloseable bind(Producer<?, ?> producer) {
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
    metrics.bindTo(registry);
    return metrics::close;
  }

  /** Closes a binding without letting a failure to unbind hide the caller's own outcome. */
  public static void unbind(AutoCloseable binding) {
    if (binding == null) {
      return;
    }
    try {
      binding.close();
    } catch (Exception e) {
      // unbinding only removes meters; nothing to do about a failure
    }
  }
}
