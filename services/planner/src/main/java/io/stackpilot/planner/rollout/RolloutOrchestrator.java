package io.stackpilot.planner.rollout;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The planner's one writer of rollout decisions: a loop that reads the topics a rollout depends on,
 * folds them into {@link Rollouts}, and writes what {@link Reconciler} and {@link RolloutDriver}
 * decide. The state lives in the log: on start the loop reads every input topic from the beginning
 * (in causal order: changes, plans, steps, results, verdicts, gates, transitions) before it acts,
 * so a restarted planner resumes every rollout where the log says it is and never requests a step
 * the log already holds.
 *
 * <p>Other threads (the REST API) talk to the loop by handing it tasks ({@link #call}), so the
 * state has one owner and needs no locks. Records the loop cannot decode go to the planner's
 * dead-letter topic with the cause, once: offsets handled live are committed under {@link #GROUP},
 * and a restart dead-letters only what arrived after the last commit.
 */
public final class RolloutOrchestrator implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutOrchestrator.class);

  /** Read in this order on a restart, so results find their requests and plans their changes. */
  static final List<Topic> INPUTS =
      List.of(
          Topic.FLEETS,
          Topic.DESIRED_STATE,
          Topic.ROLLOUTS,
          Topic.STEPS,
          Topic.STEP_APPLIED,
          Topic.STEP_FAILED,
          Topic.COMPONENT_HEALTH,
          Topic.GATE_DECISIONS,
          Topic.ROLLOUT_STATUS);

  /** The consumer group whose committed offsets mark what the loop handled live. */
  public static final String GROUP = "stackpilot-planner-orchestrator";

  /** Where the loop connects, and how often it looks at timers when nothing arrives. */
  public record Settings(String bootstrapServers, String registryUrl, Duration tick) {}

  private final Settings settings;
  private final RolloutDriver driver;
  private final Clock clock;
  private final Rollouts rollouts = new Rollouts();
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final String deadLetterTopic = Topic.deadLetterTopic("planner");
  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private ConfluentAvroDeserializer decoder;
  private ConfluentAvroSerializer encoder;

  public RolloutOrchestrator(Settings settings, RolloutDriver driver, Clock clock) {
    this.settings = settings;
    this.driver = driver;
    this.clock = clock;
  }

  /**
   * Runs {@code work} on the loop, between two polls, and returns its result.
   *
   * @throws IllegalStateException when the loop does not answer in time (still rebuilding)
   */
  public <T> T call(Function<Rollouts, T> work, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(
        () -> {
          try {
            result.complete(work.apply(rollouts));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the rollout loop did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Writes events from a task running on the loop, and folds each one that the broker took. */
  public List<SpecificRecord> publish(List<? extends SpecificRecord> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (SpecificRecord event : events) {
      Topic topic =
          Topic.byValueType(event.getClass())
              .orElseThrow(() -> new IllegalArgumentException("no topic for " + event));
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              topic.topicName(), topic.keyOf(event), encoder.serialize(topic.topicName(), event));
      EventHeaders.of(Topic.envelopeOf(event), event.getSchema().getName())
          .forEach((k, v) -> record.headers().add(k, (byte[]) v));
      sent.add(producer.send(record));
    }
    producer.flush();
    List<SpecificRecord> written = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        sent.get(i).get();
        rollouts.fold(events.get(i));
        written.add(events.get(i));
      } catch (Exception e) {
        LOG.error("could not write {}; it is decided again next tick", describe(events.get(i)), e);
      }
    }
    return written;
  }

  /** Whether the state is rebuilt and the loop acts. */
  public boolean ready() {
    return ready.getCount() == 0;
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "planner-rollouts");
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    try {
      open();
      rebuild();
      driver.afterRebuild(this, rollouts);
      ready.countDown();
      LOG.info("rollouts rebuilt from the log: {} active", rollouts.active().size());
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(settings.tick());
        for (ConsumerRecord<String, byte[]> record : records) {
          handle(record, true);
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        driver.act(this, rollouts, clock.instant());
        if (!records.isEmpty()) {
          commit();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("rollout loop woken up while running", e);
      }
    } catch (RuntimeException e) {
      LOG.error("rollout loop stopped: the planner no longer drives rollouts", e);
    } finally {
      close();
    }
  }

  private void open() {
    Map<String, Object> common = new HashMap<>();
    common.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    Map<String, Object> consumerConfig = new HashMap<>(common);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> producerConfig = new HashMap<>(common);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topic.MAX_EVENT_BYTES);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    Map<String, Object> serde = new HashMap<>();
    serde.put(ConfluentAvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, settings.registryUrl());
    serde.put(ConfluentAvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, true);
    decoder = new ConfluentAvroDeserializer();
    decoder.configure(serde, false);
    encoder = new ConfluentAvroSerializer();
    encoder.configure(serde, false);
  }

  /** Reads every input from the beginning, topic by topic, then reads on live from there. */
  private void rebuild() {
    List<TopicPartition> all = new ArrayList<>();
    Map<Topic, List<TopicPartition>> byTopic = new HashMap<>();
    for (Topic topic : INPUTS) {
      List<TopicPartition> partitions = partitionsOf(topic);
      byTopic.put(topic, partitions);
      all.addAll(partitions);
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(all);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(all));
    long folded = 0;
    for (Topic topic : INPUTS) {
      List<TopicPartition> partitions = byTopic.get(topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<TopicPartition> pending = new HashSet<>(partitions);
      pending.removeIf(tp -> end.get(tp) == 0);
      while (!pending.isEmpty() && running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(tp)) {
            continue;
          }
          OffsetAndMetadata mark = committed.get(tp);
          handle(record, mark == null || record.offset() >= mark.offset());
          folded++;
        }
        pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    consumer.assign(all);
    end.forEach(consumer::seek);
    LOG.info("read {} records from {} partitions to rebuild the rollouts", folded, all.size());
  }

  private List<TopicPartition> partitionsOf(Topic topic) {
    for (int attempt = 0; ; attempt++) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      if (!running || attempt > 30) {
        throw new IllegalStateException("topic " + topic.topicName() + " does not exist");
      }
      LOG.info("waiting for topic {}", topic.topicName());
      try {
        Thread.sleep(1_000); // topic creation is another service's start-up; nothing to await on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Folds a record; one that cannot be decoded is dead-lettered when it was not handled before. */
  private void handle(ConsumerRecord<String, byte[]> record, boolean firstSight) {
    SpecificRecord event;
    try {
      Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
      if (!(value instanceof SpecificRecord specific)) {
        throw new IllegalArgumentException("not a Stackpilot event: " + value);
      }
      Topic.envelopeOf(specific);
      event = specific;
    } catch (RuntimeException e) {
      if (firstSight) {
        deadLetter(record, e);
      }
      return;
    }
    rollouts.fold(event);
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      chain.append(chain.length() == 0 ? "" : " <- ").append(t.getMessage());
    }
    String reason = chain.toString();
    LOG.warn(
        "dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
    record.headers().forEach(dead.headers()::add);
    dead.headers()
        .add(EventHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8))
        .add("kafka_dlt-original-topic", record.topic().getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-exception-message",
            String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8))
        .add(
            "kafka_dlt-original-offset",
            Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(dead).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not dead-letter " + record.topic(), e);
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    consumer.commitSync(offsets);
  }

  private void close() {
    running = false;
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  static String describe(SpecificRecord event) {
    String what = event.getSchema().getName();
    if (event instanceof RolloutStatusChanged t) {
      what += " " + t.getTransition() + " -> " + t.getPhase();
    }
    return what + "[" + Topic.envelopeOf(event).getEventId() + "]";
  }
}
