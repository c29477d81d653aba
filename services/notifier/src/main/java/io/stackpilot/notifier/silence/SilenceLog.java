package io.stackpilot.notifier.silence;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AcknowledgedAlert;
import io.stackpilot.events.NotificationAcknowledged;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.SilenceChanged;
import io.stackpilot.notifier.ack.ReceiptTracker;
import io.stackpilot.notifier.routing.Silences;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences and acknowledgements of every replica, kept in Kafka: {@link #publish} writes a
 * SilenceChanged or NotificationAcknowledged event (and applies it here at once, so the API reads
 * its own writes); {@link #run} reads both topics from their beginning, without a consumer group,
 * and folds every event into the shared {@link Silences}. A restarted replica rebuilds them so. It
 * reads the NotificationSent events of the last {@link ReceiptTracker#FOLLOW_FOR} too, for the
 * emergency receipts still to follow.
 */
public final class SilenceLog implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SilenceLog.class);
  static final List<Topic> TOPICS = List.of(Topic.SILENCES, Topic.NOTIFICATIONS_ACKNOWLEDGED);

  private final String bootstrap;
  private final String registryUrl;
  private final Silences silences;
  private final ReceiptTracker receipts;
  private final KafkaProducer<String, byte[]> producer;
  private final ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Instant> updatedAt = new java.util.concurrent.ConcurrentHashMap<>();
  // silence id -> offset of the change applied last: the topic's order decides, not the order in
  // which this replica learns of a change (its own writes at once, the reader's later)
  private final Map<String, Long> appliedOffset = new HashMap<>();

  public SilenceLog(String bootstrap, String registryUrl, Silences silences) {
    this(bootstrap, registryUrl, silences, null);
  }

  /** With the receipts tracker that NotificationSent and NotificationAcknowledged events feed. */
  public SilenceLog(
      String bootstrap, String registryUrl, Silences silences, ReceiptTracker receipts) {
    this.receipts = receipts;
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.silences = silences;
    encoder.configure(Map.of("schema.registry.url", registryUrl), false);
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  public Silences silences() {
    return silences;
  }

  /** When the silence last changed (its last event), or null. */
  public Instant updatedAt(String silenceId) {
    return updatedAt.get(silenceId);
  }

  /** Whether every event written before this replica started has been read. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Writes the event to its catalog topic and waits for the broker's acknowledgement, then applies
   * it here.
   *
   * @throws IllegalStateException when the broker did not take it (nothing is applied then)
   */
  public void publish(SpecificRecord event) {
    Topic topic = Topic.byValueType(event.getClass()).orElseThrow();
    long offset;
    try {
      offset =
          producer
              .send(
                  new ProducerRecord<>(
                      topic.topicName(),
                      topic.keyOf(event),
                      encoder.serialize(topic.topicName(), event)))
              .get(20, TimeUnit.SECONDS)
              .offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write to " + topic.topicName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing to " + topic.topicName(), e);
    }
    apply(event, offset, System.currentTimeMillis());
  }

  /**
   * Folds an event read at this offset of its topic. A silence's changes share a key, so a
   * partition: a change older than the one applied (the reader reaching this replica's own write
   * after a later one) is skipped, so an expired silence never comes back.
   */
  void apply(Object event, long offset) {
    apply(event, offset, System.currentTimeMillis());
  }

  private void apply(Object event, long offset, long timestamp) {
    if (event instanceof NotificationSent sent) {
      if (receipts != null) {
        receipts.sent(sent, Instant.ofEpochMilli(timestamp));
      }
      return;
    }
    if (event instanceof SilenceChanged changed) {
      synchronized (appliedOffset) {
        Long applied = appliedOffset.get(changed.getSilenceId());
        if (applied != null && applied >= offset) {
          return;
        }
        appliedOffset.put(changed.getSilenceId(), offset);
        silences.put(SilenceEvents.silence(changed));
        updatedAt.put(changed.getSilenceId(), changed.getEnvelope().getOccurredAt());
      }
    } else if (event instanceof NotificationAcknowledged ack) {
      Map<String, Instant> firing = new HashMap<>();
      for (AcknowledgedAlert a : ack.getAlerts()) {
        firing.put(a.getFingerprint(), a.getStartsAt());
      }
      silences.acknowledge(ack.getReceiver(), ack.getGroupKey(), firing);
      if (receipts != null) {
        receipts.acknowledged(ack);
      }
    }
  }

  @Override
  public void run() {
    ConfluentAvroDeserializer decoder = ConfluentAvroDeserializer.specific(registryUrl);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> in =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = in;
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic t : TOPICS) {
        List<PartitionInfo> infos = in.partitionsFor(t.topicName(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(t.topicName() + " does not exist (yet)");
        }
        for (PartitionInfo p : infos) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      List<TopicPartition> recent = new ArrayList<>();
      if (receipts != null) {
        List<PartitionInfo> infos =
            in.partitionsFor(Topic.NOTIFICATIONS_SENT.topicName(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(
              Topic.NOTIFICATIONS_SENT.topicName() + " does not exist (yet)");
        }
        for (PartitionInfo p : infos) {
          recent.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      List<TopicPartition> all = new ArrayList<>(partitions);
      all.addAll(recent);
      in.assign(all);
      in.seekToBeginning(partitions);
      seekToRecent(in, recent);
      Map<TopicPartition, Long> ends = in.endOffsets(all);
      int read = 0;
      while (running) {
        for (ConsumerRecord<String, byte[]> r : in.poll(Duration.ofMillis(200))) {
          read++;
          try {
            apply(
                decoder.deserialize(r.topic(), r.headers(), r.value()), r.offset(), r.timestamp());
          } catch (RuntimeException e) {
            // every replica reads this topic whole: a dead letter per replica and restart would
            // repeat itself, so a record that cannot be read is logged with its place and skipped
            LOG.error(
                "unreadable record {}-{}@{} skipped: {}",
                r.topic(),
                r.partition(),
                r.offset(),
                e.toString());
          }
        }
        if (!caughtUp
            && ends.entrySet().stream().allMatch(e -> in.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
          LOG.info(
              "silences rebuilt from {}: {} events, {} silences",
              TOPICS,
              read,
              silences.all().size());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    }
  }

  /** NotificationSent from {@link ReceiptTracker#FOLLOW_FOR} ago: older receipts are over. */
  private static void seekToRecent(KafkaConsumer<String, byte[]> in, List<TopicPartition> recent) {
    if (recent.isEmpty()) {
      return;
    }
    long since = Instant.now().minus(ReceiptTracker.FOLLOW_FOR).toEpochMilli();
    Map<TopicPartition, Long> times = new HashMap<>();
    recent.forEach(tp -> times.put(tp, since));
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> at =
        in.offsetsForTimes(times);
    Map<TopicPartition, Long> ends = in.endOffsets(recent);
    for (TopicPartition tp : recent) {
      var found = at.get(tp);
      in.seek(tp, found != null ? found.offset() : ends.get(tp));
    }
  }

  /** Asks the reader to end. */
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void close() {
    stop();
    producer.close(Duration.ofSeconds(5));
  }
}
