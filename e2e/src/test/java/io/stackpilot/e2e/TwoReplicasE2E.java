package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas of each service in their services' consumer groups on the shared test broker: one
 * planner leads and the other refuses writes, the two appliers share the clusters (partitions of
 * {@code stackpilot.steps}), and a 100-cluster rollout completes with every event once, nothing
 * lost, and each cluster's steps applied in plan order.
 */
@ExtendWith(RealKafkaExtension.class)
class TwoReplicasE2E {
  private static final Logger LOG = LoggerFactory.getLogger(TwoReplicasE2E.class);
  static final ScaleOutRollout ROLLOUT = ScaleOutRollout.of("tr", 100, 99);
  static final List<String> REPLICAS = List.of("a", "b");

  /** Spring Cloud Stream's group of the applier's step binding (the application name). */
  static final String APPLIER_GROUP = "applier";

  static final Map<String, List<ConfigurableApplicationContext>> services = new TreeMap<>();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static KafkaBroker broker;
  static SchemaRegistry registry;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(ROLLOUT.clusters());
    webhook = HttpSink.start();
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    for (String replica : REPLICAS) {
      String[] args =
          ServiceArgs.of(
              broker,
              registry,
              "--stackpilot.kube.kubeconfig=" + kubeconfig,
              "--stackpilot.notifier.webhook.url=" + webhook.url(),
              // a StatefulSet's pod names: each notifier replica fences only its own past
              "--stackpilot.notifier.instance-id=tr-notifier-" + replica,
              // 6 partitions of stackpilot.steps shared by 2 appliers: 3 threads each, or the
              // first replica's 6 threads hold them all
              "--stackpilot.applier.concurrency=" + Topic.STEPS.partitions() / REPLICAS.size(),
              // which applier replica holds which partitions, as the group describes its members
              "--spring.cloud.stream.kafka.bindings.applyStep-in-0.consumer.configuration.client.id="
                  + applierClientId(replica));
      List<ConfigurableApplicationContext> replicaServices = new ArrayList<>();
      replicaServices.add(PlannerApplication.builder().run(args));
      replicaServices.add(ApplierApplication.builder().run(args));
      replicaServices.add(VerifierApplication.builder().run(args));
      replicaServices.add(NotifierApplication.builder().run(args));
      services.put(replica, replicaServices);
    }
  }

  @AfterAll
  static void stop() {
    services.values().forEach(list -> list.forEach(ConfigurableApplicationContext::close));
    if (webhook != null) {
      webhook.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void twoReplicasOfEachServiceShareTheWorkAndLoseOrRepeatNothing() throws Exception {
    // exactly one planner leads; the other folds the same log and refuses writes
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> REPLICAS.stream().filter(r -> orchestrator(r).leading()).count() == 1);
    String leader = REPLICAS.stream().filter(r -> orchestrator(r).leading()).findFirst().get();
    String standby = REPLICAS.stream().filter(r -> !r.equals(leader)).findFirst().get();
    HttpResponse<String> refused =
        planner(standby).declare(ROLLOUT.spec(), "", "scale-out: two replicas");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("not the leading planner");

    // both appliers hold partitions of the steps topic before the rollout starts
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stepsPartitionsByApplier().values().stream().allMatch(p -> !p.isEmpty()));
    Map<String, List<Integer>> assignment = stepsPartitionsByApplier();

    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      Instant started = Instant.now();
      HttpResponse<String> accepted =
          planner(leader).declare(ROLLOUT.spec(), "", "scale-out: two replicas");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String rolloutId = PlannerApi.rolloutId(accepted);

      RolloutStatusChanged end = RolloutEvents.awaitEnd(tap, rolloutId);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.COMPLETED);
      Duration total = Duration.between(started, Instant.now());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> ROLLOUT.assertNothingLostNothingTwice(tap, rolloutId, webhook));
      ScaleOutRollout.Counts counts =
          ROLLOUT.assertNothingLostNothingTwice(tap, rolloutId, webhook);

      // the work was spread: no rebalance moved a partition during the rollout, and each applier
      // replica applied the clusters of the partitions it held
      assertThat(stepsPartitionsByApplier()).isEqualTo(assignment);
      Map<Integer, List<String>> clustersByPartition = new HashMap<>();
      for (ConsumerRecord<String, Object> r :
          tap.matching(r -> r.value() instanceof StepRequested s && isOf(s, rolloutId))) {
        List<String> clusters =
            clustersByPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>());
        if (!clusters.contains(r.key())) {
          clusters.add(r.key());
        }
      }
      Map<String, Integer> clustersByApplier = new TreeMap<>();
      assignment.forEach(
          (replica, partitions) ->
              clustersByApplier.put(
                  replica,
                  partitions.stream()
                      .mapToInt(p -> clustersByPartition.getOrDefault(p, List.of()).size())
                      .sum()));
      assertThat(clustersByApplier.values()).allSatisfy(n -> assertThat(n).isPositive());
      assertThat(clustersByApplier.values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(ROLLOUT.clusters().size());
      LOG.info(
          "two replicas: planner {} led ({} refused a write with 503); applier partitions of"
              + " stackpilot.steps {}, clusters applied per replica {}; rollout COMPLETED in {} s;"
              + " {}",
          leader,
          standby,
          assignment,
          clustersByApplier,
          total.toSeconds(),
          counts);
    }
  }

  private static boolean isOf(StepRequested step, String rolloutId) {
    return rolloutId.equals(step.getEnvelope().getCorrelationId());
  }

  private static String applierClientId(String replica) {
    return "tr-applier-" + replica;
  }

  private static RolloutOrchestrator orchestrator(String replica) {
    return services.get(replica).get(0).getBean(RolloutOrchestrator.class);
  }

  private static PlannerApi planner(String replica) {
    return new PlannerApi(services.get(replica).get(0), ServiceArgs.API_TOKEN);
  }

  /** The partitions of stackpilot.steps each applier replica's consumers hold now. */
  private static Map<String, List<Integer>> stepsPartitionsByApplier()
      throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<String, List<Integer>> byReplica = new TreeMap<>();
      REPLICAS.forEach(r -> byReplica.put(r, new ArrayList<>()));
      for (MemberDescription member :
          admin
              .describeConsumerGroups(List.of(APPLIER_GROUP))
              .all()
              .get()
              .get(APPLIER_GROUP)
              .members()) {
        for (String replica : REPLICAS) {
          if (member.clientId().startsWith(applierClientId(replica))) {
            member.assignment().topicPartitions().stream()
                .filter(tp -> tp.topic().equals(Topic.STEPS.topicName()))
                .map(TopicPartition::partition)
                .forEach(byReplica.get(replica)::add);
          }
        }
      }
      byReplica.values().forEach(list -> list.sort(Integer::compare));
      return byReplica;
    }
  }
}
