package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The planner's election on a real broker: of two replicas exactly one leads, a replica that joins
 * later does not take the seat, and the other one leads once the leader leaves.
 */
@ExtendWith(RealKafkaExtension.class)
class LeadershipIT {

  @Test
  void oneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItLeaves(KafkaBroker broker) throws Exception {
    createFleetsTopic(broker);
    Leadership first = new Leadership(broker.bootstrapServers());
    Leadership second = new Leadership(broker.bootstrapServers());
    try {
      first.join(() -> true);
      assertThat(first.poll()).as("the only replica leads").isTrue();

      // the group waits for every member to rejoin: the leader keeps polling while the other joins
      CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> second.join(() -> true));
      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> first.poll() && joined.isDone());
      joined.get();
      // both keep polling, as their loops do; the cooperative assignor leaves the seat where it is
      for (int i = 0; i < 20; i++) {
        assertThat(List.of(first.poll(), second.poll())).containsExactly(true, false);
      }

      first.close();
      await().atMost(Duration.ofSeconds(30)).until(second::poll);
    } finally {
      second.close();
      first.close();
    }
  }

  private static void createFleetsTopic(KafkaBroker broker)
      throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topic.FLEETS.topicName(), 1, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
