package io.stackpilot.stackctl;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows every topic as an outside integrator would (a plain consumer with the Confluent-format
 * deserializer), prints one readable line per event of the rollouts it is told to watch, and counts
 * what a watcher needs to say whether the rollout is done and well.
 */
public final class EventFeed implements Runnable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final KafkaConsumer<String, Object> consumer;
  private final PrintStream out;
  private final Set<String> rollouts = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private volatile int plannedSteps = -1;
  private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();

  public EventFeed(String bootstrap, String registryUrl, PrintStream out) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "stackpilot-local-progress-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
    ConfluentAvroDeserializer values = new ConfluentAvroDeserializer();
    values.configure(
        Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
    this.out = out;
  }

  public void watch(String rolloutId) {
    rollouts.add(rolloutId);
  }

  /** How many events of a type were seen for the watched rollouts. */
  public int count(Class<?> type) {
    return counts.getOrDefault(type.getSimpleName(), 0);
  }

  @Override
  public void run() {
    consumer.subscribe(Topic.allNames());
    try {
      while (running) {
        ConsumerRecords<String, Object> records;
        try {
          records = consumer.poll(Duration.ofMillis(250));
        } catch (RecordDeserializationException e) {
          out.println(
              "  (skipping undecodable record "
                  + e.topicPartition()
                  + "@"
                  + e.offset()
                  + ": "
                  + e.getCause()
                  + ")");
          consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
        for (ConsumerRecord<String, Object> record : records) {
          if (record.value() instanceof SpecificRecord event) {
            EventEnvelope envelope = Topic.envelopeOf(event);
            if (rollouts.contains(envelope.getCorrelationId())) {
              counts.merge(event.getSchema().getName(), 1, Integer::sum);
              observe(event);
              out.println(line(envelope, event));
            }
          }
        }
      }
    } catch (WakeupException e) {
      // stopping
    } finally {
      consumer.close();
    }
  }

  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private void observe(SpecificRecord event) {
    if (event instanceof RolloutPlanned p) {
      plannedSteps = p.getSteps().size();
    } else if (event instanceof ComponentVerified v && v.getHealth() != HealthStatus.HEALTHY) {
      unhealthy.add(v.getEnvelope().getCluster() + "/" + v.getComponent());
    }
  }

  /** Steps of the watched rollout's plan, or -1 until its RolloutPlanned has been read. */
  public int plannedSteps() {
    return plannedSteps;
  }

  /** cluster/component of every verdict that was not HEALTHY. */
  public Set<String> unhealthy() {
    return Set.copyOf(unhealthy);
  }

  /** Every step has a notification outcome, or failed before it could get one. */
  public boolean settled() {
    int planned = plannedSteps;
    return planned >= 0
        && count(NotificationSent.class) + count(NotificationFailed.class) + count(StepFailed.class)
            >= planned;
  }

  static String line(EnvelopeView e, String what) {
    return String.format(
        "%s  %-9s %-20s %-14s %s", e.time(), e.producer(), e.type(), e.cluster(), what);
  }

  private static String line(EventEnvelope envelope, SpecificRecord event) {
    EnvelopeView view =
        new EnvelopeView(
            TIME.format(envelope.getOccurredAt()),
            envelope.getProducer(),
            event.getSchema().getName(),
            envelope.getCluster() == null ? "-" : envelope.getCluster());
    return line(view, describe(event));
  }

  /** What a line shows of an envelope. */
  record EnvelopeView(String time, String producer, String type, String cluster) {}

  static String describe(SpecificRecord event) {
    if (event instanceof DesiredStateChanged e) {
      return e.getStackName() + " by " + e.getEnvelope().getActor() + ": \"" + e.getReason() + "\"";
    }
    if (event instanceof RolloutPlanned e) {
      return e.getWaves().size()
          + " waves, "
          + e.getSteps().size()
          + " steps: "
          + e.getWaves().stream().map(w -> w.getName() + w.getClusters()).toList();
    }
    if (event instanceof StepRequested e) {
      return "wave " + e.getWaveIndex() + "  " + e.getComponent() + " " + chart(e);
    }
    if (event instanceof StepApplied e) {
      return e.getComponent()
          + "  "
          + e.getResources().size()
          + " objects in "
          + e.getDurationMillis()
          + " ms, "
          + shortDigest(e.getDigest());
    }
    if (event instanceof StepFailed e) {
      return e.getComponent()
          + "  FAILED "
          + e.getReason()
          + (e.getRetriable() ? " (retriable)" : "")
          + ": "
          + e.getMessage();
    }
    if (event instanceof ComponentVerified e) {
      return e.getComponent() + "  " + e.getHealth() + " - " + e.getReason();
    }
    if (event instanceof NotificationSent e) {
      return "-> "
          + e.getReceiver()
          + " ("
          + e.getChannel()
          + ") "
          + e.getState()
          + ", HTTP "
          + e.getResponseStatus();
    }
    if (event instanceof NotificationFailed e) {
      return "-> " + e.getReceiver() + " FAILED: " + e.getReason();
    }
    return event.getSchema().getName();
  }

  private static String chart(StepRequested e) {
    return e.getChart() == null ? "" : e.getChart().getName() + "@" + e.getChart().getVersion();
  }

  private static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
  }
}
