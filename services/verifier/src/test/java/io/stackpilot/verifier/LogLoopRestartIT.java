package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.LogLoop;
import io.stackpilot.runtime.PartitionedLog;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.TestRecords;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A loop whose body fails does not stop: the body is told it lost its partitions, the reader is
 * opened again after the back-off, and the partitions are read from their beginning, so the record
 * that failed is handled again.
 */
@ExtendWith(RealKafkaExtension.class)
class LogLoopRestartIT {

  @Test
  void aFailingBodyIsReopenedAndReadsItsPartitionsAgain(
      KafkaBroker broker, SchemaRegistry registry) {
    String cluster = "loop-" + UUID.randomUUID().toString().substring(0, 8);
    createIfAbsent(broker, Topic.STEP_APPLIED);
    StepApplied applied = Events.stepApplied("r-loop", cluster, "loki", List.of());
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.STEP_APPLIED.topicName(),
        cluster,
        applied);
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> calls = new CopyOnWriteArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    LogLoop loop =
        new LogLoop(
            new LogLoop.Settings(
                "test-loop",
                new EventLog.Settings(broker.bootstrapServers(), registry.url()),
                "verifier",
                "test-loop-" + cluster,
                List.of(Topic.STEP_APPLIED),
                "the test sees nothing"),
            new LogLoop.Body() {
              @Override
              public PartitionedLog.Assignment assignment() {
                return new PartitionedLog.Assignment() {
                  @Override
                  public void revoked(Set<Integer> numbers, Collection<TopicPartition> lost) {
                    calls.add("revoked " + numbers.size());
                  }

                  @Override
                  public void assigned(Set<Integer> numbers, Collection<TopicPartition> given) {
                    calls.add("assigned " + numbers.size());
                  }
                };
              }

              @Override
              public void handle(ConsumerRecord<String, byte[]> record) {
                if (cluster.equals(record.key())) {
                  seen.add(record.topic() + "-" + record.partition() + "@" + record.offset());
                  if (failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("the body's first read fails");
                  }
                }
              }

              @Override
              public void afterPoll(ConsumerRecords<String, byte[]> records) {}
            });
    loop.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 2);
      assertThat(seen.get(1)).isEqualTo(seen.get(0));
      assertThat(calls)
          .containsSubsequence(
              "assigned " + Topic.STEP_APPLIED.partitions(),
              "revoked " + Topic.STEP_APPLIED.partitions(),
              "assigned " + Topic.STEP_APPLIED.partitions());
      assertThat(loop.isRunning()).isTrue();
    } finally {
      loop.stop();
    }
    assertThat(loop.isRunning()).isFalse();
  }

  /** As the services do at start (auto-creation is off); this test starts none. */
  private static void createIfAbsent(KafkaBroker broker, Topic topic) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic.topicName(), topic.partitions(), (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(e);
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
