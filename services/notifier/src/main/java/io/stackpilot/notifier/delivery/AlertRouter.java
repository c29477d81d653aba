package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.notifier.routing.Route;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.runtime.metrics.ConsumedEvents;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.runtime.tracing.KafkaTraceContext;
import io.stackpilot.runtime.tracing.Tracing;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Stage one: reads the events the notifier routes, turns them into alerts, routes each with the
 * configuration in force and writes it, once per matching route, to the routed-alerts topic in the
 * partition of its receiver and group, in one transaction with the input offsets. A record that
 * cannot be decoded goes to the dead-letter topic in the same transaction.
 */
public final class AlertRouter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRouter.class);
  static final List<Topic> INPUTS =
      List.of(Topic.ALERTS, Topic.COMPONENT_HEALTH, Topic.ROLLOUT_STATUS, Topic.GATE_DECISIONS);

  private final KafkaSettings settings;
  private final RoutingConfigSource configs;
  private final EventAlerts eventAlerts;
  private final Clock clock;
  private final ObjectMapper json;
  private final String deadLetterTopic;
  private AutoCloseable lag;
  private final String service;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters. Set before the loop runs. */
  public AlertRouter metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public AlertRouter(
      KafkaSettings settings,
      RoutingConfigSource configs,
      EventAlerts eventAlerts,
      Clock clock,
      ObjectMapper json,
      String service) {
    this.settings = settings;
    this.configs = configs;
    this.eventAlerts = eventAlerts;
    this.clock = clock;
    this.json = json;
    this.deadLetterTopic = Topic.deadLetterTopic(service);
    this.service = service;
  }

  @Override
  public void run() {
    ConfluentAvroDeserializer decoder = settings.decoder();
    try (KafkaConsumer<String, byte[]> in =
            new KafkaConsumer<>(
                settings.consumer(settings.groupPrefix()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> out =
            new KafkaProducer<>(
                settings.transactionalProducer(
                    settings.groupPrefix() + "-router-" + settings.instanceId()),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      consumer = in;
      lag = metrics.bind(in);
      out.initTransactions();
      int partitions = out.partitionsFor(settings.routedTopic()).size();
      in.subscribe(INPUTS.stream().map(Topic::topicName).toList());
      LOG.info("routing {} into {} ({} partitions)", INPUTS, settings.routedTopic(), partitions);
      while (running) {
        ConsumerRecords<String, byte[]> records = in.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          routeInTransaction(records, in, out, decoder, partitions);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("alert router stopped", e);
      throw e;
    } finally {
      StackpilotMetrics.unbind(lag);
    }
  }

  private void routeInTransaction(
      ConsumerRecords<String, byte[]> records,
      KafkaConsumer<String, byte[]> in,
      KafkaProducer<String, byte[]> out,
      ConfluentAvroDeserializer decoder,
      int partitions) {
    RoutingConfig config = configs.current().config();
    out.beginTransaction();
    try {
      Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        route(record, decoder, config, out, partitions);
        next.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
      }
      out.sendOffsetsToTransaction(next, in.groupMetadata());
      out.commitTransaction();
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
      throw e; // another run of this replica took over, or a bug: nothing to retry here
    } catch (KafkaException e) {
      LOG.warn("routing transaction aborted, reading the batch again: {}", e.toString());
      out.abortTransaction();
      rewind(in);
    } catch (RuntimeException e) {
      // not Kafka's: abort all the same (an open transaction holds read_committed readers back
      // until it times out), read the batch again on restart, and let the loop restart
      LOG.error("routing transaction aborted: {}", e.toString());
      out.abortTransaction();
      rewind(in);
      throw e;
    }
  }

  private void route(
      ConsumerRecord<String, byte[]> record,
      ConfluentAvroDeserializer decoder,
      RoutingConfig config,
      KafkaProducer<String, byte[]> out,
      int partitions) {
    mdc(record);
    try {
      List<SourcedAlert> alerts;
      SpecificRecord decoded;
      try {
        Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
        if (!(value instanceof SpecificRecord specific)) {
          throw new IllegalArgumentException("not a Stackpilot event: " + value);
        }
        Topic.envelopeOf(specific);
        decoded = specific;
        // an event that decodes but cannot be made an alert is as poisonous as one that does not
        alerts = eventAlerts.of(specific, clock.instant());
      } catch (RuntimeException e) {
        out.send(deadLetter(record, e));
        metrics.deadLettered(record.topic());
        ConsumedEvents.record(metrics, record, null, false);
        return;
      }
      ConsumedEvents.record(metrics, record, decoded, true);
      // a consumer span per routed event, child of its producer's; each routed alert names it
      Span span = Tracing.of(service).consume("route", record);
      try (Scope scope = span.makeCurrent()) {
        route(alerts, config, out, partitions);
      } finally {
        span.end();
      }
    } finally {
      MDC.clear();
    }
  }

  private void route(
      List<SourcedAlert> alerts,
      RoutingConfig config,
      KafkaProducer<String, byte[]> out,
      int partitions) {
    String traceparent = KafkaTraceContext.currentTraceparent();
    for (SourcedAlert source : alerts) {
      SourcedAlert alert = source.tracedBy(traceparent);
      for (Route route : config.route().match(alert.labels())) {
        SourcedAlert routed =
            alert.routedTo(route.path(), route.receiver(), route.groupKey(alert.labels()));
        int partition =
            InternalTopics.partitionFor(route.receiver(), routed.groupKey(), partitions);
        out.send(
            new ProducerRecord<>(
                settings.routedTopic(), partition, InternalTopics.alertKey(routed), bytes(routed)));
        LOG.debug(
            "alert {} routed to {} {}", alert.fingerprint(), route.receiver(), routed.groupKey());
      }
    }
  }

  private byte[] bytes(SourcedAlert alert) {
    try {
      return json.writeValueAsBytes(alert);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("alert not serializable", e);
    }
  }

  private ProducerRecord<String, byte[]> deadLetter(
      ConsumerRecord<String, byte[]> record, RuntimeException cause) {
    return DeadLetterRecords.of(deadLetterTopic, record, cause);
  }

  private static void rewind(KafkaConsumer<String, byte[]> in) {
    Set<TopicPartition> assigned = in.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = in.committed(assigned);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata at = committed.get(tp);
      if (at == null) {
        in.seekToBeginning(List.of(tp));
      } else {
        in.seek(tp, at.offset());
      }
    }
  }

  static void mdc(ConsumerRecord<String, byte[]> record) {
    EventHeaders.mdcKeys()
        .forEach(
            (header, key) -> {
              Header h = record.headers().lastHeader(header);
              if (h != null) {
                MDC.put(key, new String(h.value(), StandardCharsets.UTF_8));
              }
            });
  }

  /** Asks the loop to end; it closes its clients on the way out. */
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
