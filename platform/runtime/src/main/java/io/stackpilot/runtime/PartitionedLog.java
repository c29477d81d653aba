package io.stackpilot.runtime;

import io.stackpilot.contract.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads co-partitioned topics (keyed alike, with as many partitions: partition {@code n} of each
 * holds the same clusters) for a loop that folds its state from them, shared by its instances in a
 * consumer group. The range assignor gives an instance the same partition numbers of every input;
 * each partition is read from its beginning when assigned, and a partition number is caught up once
 * every input's partition has been read to where it ended at assignment. Used by the applier's
 * drift detector and the verifier's health watch.
 *
 * <p>Not thread-safe, like the consumer it holds: the loop that opened it owns it.
 */
public final class PartitionedLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionedLog.class);

  /** What the owner does as partitions come and go (all inputs' partitions of those numbers). */
  public interface Assignment {
    /** Taken away: forget what was folded from them. */
    void revoked(Set<Integer> numbers, Collection<TopicPartition> partitions);

    /** Given: they are read again from their beginning. */
    void assigned(Set<Integer> numbers, Collection<TopicPartition> partitions);
  }

  private final EventLog log;
  private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();

  private PartitionedLog(EventLog log) {
    this.log = log;
  }

  /**
   * Connects, waits for the inputs to exist (another service may be creating them), and subscribes.
   *
   * @param service whose dead-letter topic gets what cannot be decoded
   * @param running false once the loop is asked to stop: the wait for topics ends
   */
  public static PartitionedLog open(
      EventLog.Settings settings,
      String service,
      String group,
      List<Topic> inputs,
      BooleanSupplier running,
      Assignment assignment) {
    EventLog log =
        new EventLog(
            settings,
            service,
            group,
            Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                RangeAssignor.class.getName()));
    PartitionedLog reader = new PartitionedLog(log);
    try {
      for (Topic topic : inputs) {
        log.partitionsOf(topic, running);
      }
      log.consumer()
          .subscribe(inputs.stream().map(Topic::topicName).toList(), reader.rebuild(assignment));
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return reader;
  }

  private ConsumerRebalanceListener rebuild(Assignment assignment) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(catchUpTo::remove);
        assignment.revoked(numbers(partitions), partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        log.consumer().seekToBeginning(partitions);
        catchUpTo.putAll(log.consumer().endOffsets(partitions));
        assignment.assigned(numbers(partitions), partitions);
        LOG.info(
            "{}: reading {} partitions from their beginning",
            log.consumer().groupMetadata().groupId(),
            partitions.size());
      }
    };
  }

  public EventLog log() {
    return log;
  }

  public ConsumerRecords<String, byte[]> poll(Duration timeout) {
    return log.consumer().poll(timeout);
  }

  /** Assigned partition numbers whose every input has been read to its end at assignment. */
  public Set<Integer> caughtUp() {
    Set<Integer> assigned = new HashSet<>();
    Set<Integer> behind = new HashSet<>();
    catchUpTo.forEach(
        (tp, end) -> {
          assigned.add(tp.partition());
          if (log.consumer().position(tp) < end) {
            behind.add(tp.partition());
          }
        });
    assigned.removeAll(behind);
    return assigned;
  }

  /** Interrupts a poll in progress from another thread (to stop the loop). */
  public void wakeup() {
    log.consumer().wakeup();
  }

  @Override
  public void close() {
    log.close();
  }

  private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
    Set<Integer> numbers = new HashSet<>();
    partitions.forEach(tp -> numbers.add(tp.partition()));
    return numbers;
  }
}
