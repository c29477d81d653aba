package io.stackpilot.notifier.delivery;

import io.stackpilot.contract.Topic;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the notifier's loops connect, and the client settings they share.
 *
 * @param instanceId stable per replica (a restarted replica reuses it): its transactional ids fence
 *     the transactions the previous run of that replica left open
 */
public record KafkaSettings(
    String bootstrapServers,
    String registryUrl,
    String instanceId,
    String groupPrefix,
    int internalPartitions) {

  /**
   * max.poll.interval.ms of stage two, whose poll thread also sends: it spends at most half of it
   * sending per poll (see {@link Deliverer#deliver(io.stackpilot.notifier.channel.Channel,
   * io.stackpilot.notifier.routing.Notification, String, java.time.Instant)}).
   */
  public static final int DELIVERY_MAX_POLL_INTERVAL_MS = 300_000;

  /** Alerts placed in their groups: stage one writes, stage two reads. */
  public String routedTopic() {
    return "stackpilot." + groupPrefix + ".routed-alerts";
  }

  /** What each group was last sent, per receiver and channel. */
  public String logTopic() {
    return "stackpilot." + groupPrefix + ".notification-log";
  }

  Map<String, Object> consumer(String group) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
    if (group != null) {
      // static membership: a restarted replica takes its partitions back without a rebalance
      config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + instanceId);
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    }
    return config;
  }

  /** Stage two's consumer: {@link #consumer} with its max.poll.interval.ms set explicitly. */
  Map<String, Object> deliveryConsumer(String group) {
    Map<String, Object> config = consumer(group);
    config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, DELIVERY_MAX_POLL_INTERVAL_MS);
    return config;
  }

  Map<String, Object> transactionalProducer(String transactionalId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    // a replica killed mid-transaction blocks read_committed readers until this passes
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topic.MAX_EVENT_BYTES);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return config;
  }

  ConfluentAvroDeserializer decoder() {
    return ConfluentAvroDeserializer.specific(registryUrl);
  }

  ConfluentAvroSerializer encoder() {
    ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
    encoder.configure(
        Map.of(ConfluentAvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
    return encoder;
  }
}
