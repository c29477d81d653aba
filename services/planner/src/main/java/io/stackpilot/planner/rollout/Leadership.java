package io.stackpilot.planner.rollout;

import io.stackpilot.contract.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which planner replica drives rollouts: the one the Kafka group {@link #GROUP} assigns the single
 * partition of {@code stackpilot.fleets} (a one-partition catalog topic, so exactly one member
 * holds it). The partition is paused at once: the election reads nothing, the group protocol is the
 * whole mechanism. The cooperative-sticky assignor keeps the partition with its holder when a
 * replica joins, so leadership moves only when the leader leaves or stops answering (session
 * timeout, {@link #SESSION_TIMEOUT}).
 *
 * <p>Polled by the rollout loop's thread only, between two polls of its own consumer, like the
 * consumer it wraps.
 */
final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** The group whose one-partition assignment elects the leader. */
  static final String GROUP = "stackpilot-planner-leader";

  /** A leader that stops heartbeating is replaced after this long. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration LOG_EVERY = Duration.ofSeconds(15);

  private static final TopicPartition SEAT = new TopicPartition(Topic.FLEETS.topicName(), 0);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private boolean leader;
  private boolean assignedOnce;
  private boolean closed;

  Leadership(String bootstrapServers) {
    if (Topic.FLEETS.partitions() != 1) {
      throw new IllegalStateException("the planner's election needs a one-partition topic");
    }
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                List.of(CooperativeStickyAssignor.class.getName()),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                (int) SESSION_TIMEOUT.toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) SESSION_TIMEOUT.toMillis() / 4),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  /**
   * Joins the group and waits for its first answer, leader or not, while {@code running} holds: a
   * replica acts or refuses writes only once it knows which it does.
   */
  void join(BooleanSupplier running) {
    consumer.subscribe(List.of(SEAT.topic()), new Listener());
    Instant since = Instant.now();
    Instant nextLog = since.plus(LOG_EVERY);
    while (!assignedOnce && running.getAsBoolean()) {
      consumer.poll(Duration.ofMillis(100));
      if (Instant.now().isAfter(nextLog)) {
        LOG.info("waiting since {} for the group {} to answer", since, GROUP);
        nextLog = nextLog.plus(LOG_EVERY);
      }
    }
  }

  /** Keeps the membership alive and says whether this replica leads now. */
  boolean poll() {
    consumer.poll(Duration.ZERO);
    return leader;
  }

  boolean leader() {
    return leader;
  }

  /** Leaves the group, so another replica takes the seat at once. */
  @Override
  public void close() {
    leader = false;
    if (!closed) {
      closed = true;
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignedOnce = true;
      consumer.pause(partitions);
      if (partitions.contains(SEAT)) {
        leader = true;
        LOG.info("this planner leads: it drives the rollouts");
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      lose(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      lose(partitions, "lost");
    }

    private void lose(Collection<TopicPartition> partitions, String how) {
      if (partitions.contains(SEAT) && leader) {
        leader = false;
        LOG.warn("leadership {}: this planner stops driving rollouts and keeps folding", how);
      }
    }
  }
}
