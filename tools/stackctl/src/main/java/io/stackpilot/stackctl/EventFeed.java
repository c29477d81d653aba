package io.stackpilot.stackctl;

import io.stackpilot.contract.Topic;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows every topic, the rollout-status topic included, as an outside integrator would (a plain
 * consumer with the Confluent-format deserializer, from the earliest offset) and hands each event
 * to a {@link RolloutTracker}, which prints and counts those of the watched rollouts. Call {@link
 * #watch} before {@link #run}: events are read once.
 */
public final class EventFeed implements Runnable {
  private final KafkaConsumer<String, Object> consumer;
  private final PrintStream out;
  private final RolloutTracker tracker;
  private volatile boolean running = true;

  public EventFeed(String bootstrap, String registryUrl, PrintStream out) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "stackpilot-local-progress-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
    ConfluentAvroDeserializer values = ConfluentAvroDeserializer.specific(registryUrl);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
    this.out = out;
    this.tracker = new RolloutTracker(out);
  }

  public void watch(String rolloutId) {
    tracker.watch(rolloutId);
  }

  /** What has been read of the watched rollouts; wait on it for their end. */
  public RolloutTracker tracker() {
    return tracker;
  }

  /** How many events of a type were seen for the watched rollouts. */
  public int count(Class<?> type) {
    return tracker.count(type);
  }

  /** Steps of the watched rollout's plan, or -1 until its RolloutPlanned has been read. */
  public int plannedSteps() {
    return tracker.plannedSteps();
  }

  /** cluster/component of every component whose latest verdict is not HEALTHY. */
  public Set<String> unhealthy() {
    return tracker.unhealthy();
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
            tracker.accept(event);
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
}
