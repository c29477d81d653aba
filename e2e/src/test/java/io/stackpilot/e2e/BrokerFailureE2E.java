package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.registry.RegistryApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaCluster;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four services and the registry on a 3-broker KRaft cluster (replication factor 3,
 * min.insync.replicas 2): the broker leading the most partitions of {@code stackpilot.steps} is
 * stopped without a controlled shutdown when about a third of a 100-cluster rollout is applied, and
 * the rollout still completes with every event once and nothing lost.
 */
class BrokerFailureE2E {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerFailureE2E.class);
  static final ScaleOutRollout ROLLOUT = ScaleOutRollout.of("bf", 100, 99);

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static KafkaCluster kafka;
  static ConfigurableApplicationContext registry;
  static FleetSimulator fleet;
  static HttpSink webhook;

  @BeforeAll
  static void start(@TempDir Path dir) {
    kafka = KafkaCluster.start();
    registry = RegistryApplication.start(kafka.bootstrapServers(), 0, KafkaCluster.SCHEMAS_TOPIC);
    fleet = FleetSimulator.start(ROLLOUT.clusters());
    webhook = HttpSink.start();
    String[] args =
        ServiceArgs.of(
            kafka,
            RegistryApplication.url(registry),
            "--stackpilot.kafka.replication-factor=" + KafkaCluster.REPLICATION_FACTOR,
            "--stackpilot.kube.kubeconfig=" + fleet.writeKubeconfig(dir.resolve("kubeconfig")),
            "--stackpilot.notifier.webhook.url=" + webhook.url());
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    services.add(NotifierApplication.builder().run(args));
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    if (registry != null) {
      registry.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aBrokerLostMidRolloutLosesNothingAndTheRolloutCompletes() throws Exception {
    try (EventTap tap =
        EventTap.avro(
            kafka.bootstrapServers(), RegistryApplication.url(registry), Topic.allNames())) {
      Instant started = Instant.now();
      HttpResponse<String> accepted =
          new PlannerApi(services.get(0), ServiceArgs.API_TOKEN)
              .declare(ROLLOUT.spec(), "", "scale-out: broker failure");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String rolloutId = PlannerApi.rolloutId(accepted);

      int third = ROLLOUT.steps() / 3;
      await().atMost(Duration.ofSeconds(120)).until(() -> appliedSteps(tap, rolloutId) >= third);
      long appliedAtKill = appliedSteps(tap, rolloutId);
      Map<Integer, Integer> leadersBefore = kafka.leaders(Topic.STEPS.topicName());
      int victim = kafka.leaderOfMostPartitions(Topic.STEPS.topicName());
      Instant killAt = Instant.now();
      kafka.kill(victim);
      Duration fencedAfter = Duration.between(killAt, Instant.now());
      Map<Integer, Integer> leadersAfter = kafka.leaders(Topic.STEPS.topicName());

      RolloutStatusChanged end = RolloutEvents.awaitEnd(tap, rolloutId);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.COMPLETED);
      Duration total = Duration.between(started, Instant.now());
      assertThat(kafka.runningBrokers()).hasSize(KafkaCluster.NODES - 1).doesNotContain(victim);

      // every verdict is notified after the rollout's last one: wait for the notifications
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> ROLLOUT.assertNothingLostNothingTwice(tap, rolloutId, webhook));
      ScaleOutRollout.Counts counts =
          ROLLOUT.assertNothingLostNothingTwice(tap, rolloutId, webhook);
      LOG.info(
          "broker failure: killed broker {} at {}/{} steps applied (it led {} of {} steps"
              + " partitions; leaders before {} after {}; fenced and re-led in {} ms); rollout"
              + " COMPLETED in {} s; {}",
          victim,
          appliedAtKill,
          ROLLOUT.steps(),
          leadersBefore.values().stream().filter(l -> l == victim).count(),
          leadersBefore.size(),
          leadersBefore,
          leadersAfter,
          fencedAfter.toMillis(),
          total.toSeconds(),
          counts);
      assertThat(appliedAtKill).isLessThan(ROLLOUT.steps());
    }
  }

  private static long appliedSteps(EventTap tap, String rolloutId) {
    return of(tap, StepApplied.class, rolloutId).stream()
        .map(StepApplied::getStepId)
        .distinct()
        .count();
  }
}
