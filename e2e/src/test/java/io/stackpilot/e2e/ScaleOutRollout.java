package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The rollout BrokerFailureE2E and TwoReplicasE2E both run (loki, then tempo which depends on it,
 * on a fleet of many clusters: a canary, then batches), and the checks both make on the topics:
 * nothing lost, nothing twice, each cluster's steps applied in plan order.
 */
record ScaleOutRollout(String stack, String namespace, List<String> clusters, int batchSize) {
  static final List<String> COMPONENTS = List.of("loki", "tempo");

  static ScaleOutRollout of(String prefix, int clusters, int batchSize) {
    List<String> names =
        IntStream.range(0, clusters).mapToObj(i -> String.format("%s-%03d", prefix, i)).toList();
    return new ScaleOutRollout(prefix, prefix + "-system", names, batchSize);
  }

  int steps() {
    return clusters.size() * COMPONENTS.size();
  }

  String spec() {
    StringBuilder fleet = new StringBuilder();
    for (String c : clusters) {
      fleet.append("    - {name: %1$s, context: %1$s, tenant: %1$s}\n".formatted(c));
    }
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata:
          name: %1$s
        spec:
          components:
            - name: loki
              type: loki
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.46.0}
              values:
                deploymentMode: SingleBinary
                loki:
                  schemaConfig:
                    configs:
                      - {from: "2024-01-01", store: tsdb, object_store: filesystem, schema: v13, index: {prefix: index_, period: 24h}}
            - name: tempo
              type: tempo
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: 1.24.0}
              dependsOn: [loki]
              values:
                tempo:
                  storage: {trace: {backend: local}}
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: %1$s
        spec:
          clusters:
        %3$s  rollout:
            canary: [%4$s]
            batchSize: %5$d
            soakSeconds: 0
        """
        .formatted(stack, namespace, fleet, clusters.get(0), batchSize);
  }

  /** What the checks counted, for the test's report. */
  record Counts(
      int requested,
      int applied,
      int verified,
      int notificationsSent,
      int webhookRequests,
      int webhookDistinctKeys) {}

  /**
   * Every step requested once and applied once (caused by its request), every application verified
   * HEALTHY once, every verdict notified once (one NotificationSent naming it, one webhook request
   * per Idempotency-Key), and per cluster one partition per topic with the steps applied in the
   * order of their dependency rank.
   */
  Counts assertNothingLostNothingTwice(EventTap tap, String rolloutId, HttpSink webhook) {
    // the tap is a consumer group too: after a broker loss it may read a record again; a record
    // is its position, so the same position counts once (an event written twice has two)
    Map<String, ConsumerRecord<String, Object>> byPosition = new java.util.LinkedHashMap<>();
    for (ConsumerRecord<String, Object> r :
        tap.matching(
            r ->
                r.value() instanceof SpecificRecord e
                    && rolloutId.equals(Topic.envelopeOf(e).getCorrelationId()))) {
      byPosition.putIfAbsent(r.topic() + "-" + r.partition() + "@" + r.offset(), r);
    }
    List<ConsumerRecord<String, Object>> records = List.copyOf(byPosition.values());
    List<StepRequested> requested = values(records, StepRequested.class);
    List<StepApplied> applied = values(records, StepApplied.class);
    List<ComponentVerified> verified = values(records, ComponentVerified.class);
    List<NotificationSent> sent = values(records, NotificationSent.class);

    // nothing twice: one request and one result per step id, one verdict per result
    assertThat(requested).extracting(StepRequested::getStepId).doesNotHaveDuplicates();
    assertThat(applied).extracting(StepApplied::getStepId).doesNotHaveDuplicates();
    assertThat(requested).hasSize(steps());
    Map<String, StepRequested> requestByStep =
        requested.stream().collect(Collectors.toMap(StepRequested::getStepId, Function.identity()));
    Set<String> expectedSteps = new HashSet<>();
    clusters.forEach(
        c -> COMPONENTS.forEach(k -> expectedSteps.add(rolloutId + "/" + c + "/" + k)));
    assertThat(requestByStep.keySet()).isEqualTo(expectedSteps);

    // nothing lost: every request has its result, every result its verdict, every verdict its
    // notification, each pointing back at the event that caused it
    assertThat(applied)
        .extracting(StepApplied::getStepId)
        .containsExactlyInAnyOrderElementsOf(expectedSteps);
    for (StepApplied a : applied) {
      assertThat(a.getEnvelope().getCausationId())
          .as("cause of %s", a.getStepId())
          .isEqualTo(requestByStep.get(a.getStepId()).getEnvelope().getEventId());
    }
    Set<String> appliedIds = ids(applied);
    assertThat(verified)
        .extracting(v -> v.getEnvelope().getCausationId())
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(appliedIds);
    assertThat(verified).allSatisfy(v -> assertThat(v.getHealth()).isEqualTo(HealthStatus.HEALTHY));
    List<String> notified = new ArrayList<>();
    sent.forEach(n -> notified.addAll(n.getSubjectEventIds()));
    assertThat(notified).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(verified));

    // the receiver saw each notification once: as many requests as distinct keys as events
    List<String> keys = webhook.idempotencyKeys();
    assertThat(keys).doesNotContain("");
    assertThat(keys).doesNotHaveDuplicates().hasSize(sent.size());

    assertPerClusterOrder(records, requestByStep);
    return new Counts(
        requested.size(),
        applied.size(),
        verified.size(),
        sent.size(),
        keys.size(),
        new HashSet<>(keys).size());
  }

  /**
   * Per cluster: every record of a cluster-keyed topic on one partition, and its StepApplied in
   * that partition's offset order follow the dependency ranks of their requests (loki, then tempo).
   */
  private void assertPerClusterOrder(
      List<ConsumerRecord<String, Object>> records, Map<String, StepRequested> requestByStep) {
    Map<String, Map<String, Set<Integer>>> partitions = new HashMap<>();
    Map<String, List<ConsumerRecord<String, Object>>> appliedByCluster = new TreeMap<>();
    for (ConsumerRecord<String, Object> r : records) {
      Topic topic = Topic.byName(r.topic()).orElse(null);
      if (topic == null || topic.key() != Topic.Key.CLUSTER) {
        continue;
      }
      String cluster = Topic.envelopeOf((SpecificRecord) r.value()).getCluster();
      assertThat(r.key()).as("key of %s", r.topic()).isEqualTo(cluster);
      partitions
          .computeIfAbsent(cluster, c -> new HashMap<>())
          .computeIfAbsent(r.topic(), t -> new HashSet<>())
          .add(r.partition());
      if (r.value() instanceof StepApplied) {
        appliedByCluster.computeIfAbsent(cluster, c -> new ArrayList<>()).add(r);
      }
    }
    assertThat(appliedByCluster.keySet()).containsExactlyInAnyOrderElementsOf(clusters);
    partitions.forEach(
        (cluster, byTopic) ->
            byTopic.forEach(
                (topic, ps) -> assertThat(ps).as("%s on %s", cluster, topic).hasSize(1)));
    appliedByCluster.forEach(
        (cluster, applied) -> {
          List<Integer> ranks =
              applied.stream()
                  .sorted(Comparator.comparingLong(ConsumerRecord::offset))
                  .map(r -> requestByStep.get(((StepApplied) r.value()).getStepId()).getOrder())
                  .toList();
          assertThat(ranks).as("ranks of %s's steps in applied order", cluster).isSorted();
          assertThat(
                  applied.stream()
                      .sorted(Comparator.comparingLong(ConsumerRecord::offset))
                      .map(r -> ((StepApplied) r.value()).getComponent())
                      .toList())
              .as("%s's components in applied order", cluster)
              .isEqualTo(COMPONENTS);
        });
  }

  private static <T> List<T> values(List<ConsumerRecord<String, Object>> records, Class<T> type) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static Set<String> ids(List<? extends SpecificRecord> events) {
    return events.stream().map(e -> Topic.envelopeOf(e).getEventId()).collect(Collectors.toSet());
  }
}
