package io.stackpilot.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's only storage: a one-partition compacted topic. A reader thread applies every
 * record to {@link RegistryState}; a write returns only once that thread has read it back, so what
 * the API answers is always what the topic says (Confluent's KafkaStore works the same way).
 */
final class KafkaStore implements StoreWriter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaStore.class);

  private final RegistryProperties properties;
  private final RegistryState state;
  private final TopicPartition partition;
  private final String clientId =
      "stackpilot-registry-" + UUID.randomUUID().toString().substring(0, 8);
  private final Object progress = new Object();
  private long nextOffset; // guarded by progress: the offset after the last record applied
  private volatile Throwable readerFailure;
  private volatile boolean running;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread reader;

  KafkaStore(RegistryProperties properties, RegistryState state) {
    this.properties = properties;
    this.state = state;
    this.partition = new TopicPartition(properties.topic(), 0);
  }

  /** Creates the topic if needed, then blocks until everything in it has been applied. */
  void start() {
    ensureTopic();
    producer = new KafkaProducer<>(producerConfig());
    consumer = new KafkaConsumer<>(consumerConfig());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    running = true;
    reader = new Thread(this::readLoop, clientId + "-reader");
    reader.setDaemon(true);
    reader.start();
    // A marker written now and read back proves we have read everything written before it;
    // the end offset alone may point past records that compaction removed.
    long started = System.nanoTime();
    append(StoreRecords.Key.noop(), null, properties.initTimeout());
    log.info(
        "registry store {} read to offset {} in {} ms",
        properties.topic(),
        appliedOffset(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Writes a record and waits until the reader has applied it. */
  @Override
  public void append(StoreRecords.Key key, Object value) {
    append(key, value, properties.writeTimeout());
  }

  private void append(StoreRecords.Key key, Object value, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long offset;
    try {
      offset =
          producer
              .send(
                  new ProducerRecord<>(
                      partition.topic(), 0, StoreRecords.write(key), StoreRecords.write(value)))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .offset();
    } catch (TimeoutException e) {
      throw RegistryError.STORE_TIMEOUT.exception(
          "write to " + partition.topic() + " not acknowledged within " + timeout, e);
    } catch (ExecutionException e) {
      throw RegistryError.STORE_ERROR.exception(
          "write to " + partition.topic() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryError.STORE_ERROR.exception("interrupted while writing", e);
    }
    awaitApplied(offset + 1, deadline);
  }

  private void awaitApplied(long target, long deadlineNanos) {
    synchronized (progress) {
      while (nextOffset < target) {
        if (readerFailure != null) {
          throw RegistryError.STORE_ERROR.exception(
              "store reader stopped: " + readerFailure, readerFailure);
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          throw RegistryError.STORE_TIMEOUT.exception(
              "store reader did not reach offset " + target + " of " + partition + " in time");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw RegistryError.STORE_ERROR.exception("interrupted while waiting for the store", e);
        }
      }
    }
  }

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          state.apply(record.key(), record.value(), record.offset());
        }
        long position = consumer.position(partition);
        synchronized (progress) {
          nextOffset = position;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // close() woke us up
    } catch (Throwable e) {
      readerFailure = e;
      log.error(
          "registry store reader for {} stopped; writes will fail: {}", partition, e.toString(), e);
      synchronized (progress) {
        progress.notifyAll();
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  long appliedOffset() {
    synchronized (progress) {
      return nextOffset;
    }
  }

  /** True while the reader thread is alive and applying records. */
  boolean healthy() {
    return running && readerFailure == null && reader != null && reader.isAlive();
  }

  String topic() {
    return partition.topic();
  }

  private void ensureTopic() {
    Map<String, Object> config = common("admin");
    try (Admin admin = Admin.create(config)) {
      long timeoutMs = properties.initTimeout().toMillis();
      try {
        TopicDescription description =
            admin
                .describeTopics(Set.of(partition.topic()))
                .allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS)
                .get(partition.topic());
        checkExisting(admin, description, timeoutMs);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        createTopic(admin, timeoutMs);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot prepare store topic "
              + partition.topic()
              + " on "
              + properties.bootstrapServers()
              + ": "
              + (e instanceof ExecutionException ? e.getCause() : e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the store topic", e);
    }
  }

  private void createTopic(Admin admin, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    NewTopic topic =
        new NewTopic(partition.topic(), 1, properties.replicationFactor())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
      log.info(
          "created store topic {} (1 partition, compacted, replication factor {})",
          partition.topic(),
          properties.replicationFactor());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private void checkExisting(Admin admin, TopicDescription description, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (description.partitions().size() != 1) {
      // Ordering across partitions is undefined, and ids depend on order: refuse to start.
      throw new IllegalStateException(
          "store topic "
              + partition.topic()
              + " has "
              + description.partitions().size()
              + " partitions; the registry needs exactly 1");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, partition.topic());
    Config config =
        admin
            .describeConfigs(List.of(resource))
            .all()
            .get(timeoutMs, TimeUnit.MILLISECONDS)
            .get(resource);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      log.warn(
          "store topic {} has cleanup.policy={}; with deletion, old schemas will be lost",
          partition.topic(),
          policy);
    }
  }

  private Map<String, Object> common(String role) {
    Map<String, Object> config = new HashMap<>(properties.kafka());
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + role);
    config.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) Math.max(properties.initTimeout().toMillis(), 1000));
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = common("producer");
    config.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.writeTimeout().toMillis());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = common("reader");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null && reader == null) {
      consumer.close(Duration.ofSeconds(5));
    } else if (consumer != null) {
      consumer.wakeup();
    }
    if (reader != null) {
      try {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
