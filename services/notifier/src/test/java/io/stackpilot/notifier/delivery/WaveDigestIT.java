package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code stackpilot.notifier.events.digest=wave} and no routing file, the webhook gets one
 * notification per wave, the gate decision listing the wave's clusters, and none of the verdicts it
 * sums up. The broker is shared with other tests: the rollout and the clusters are this run's own,
 * and only requests about that rollout are counted.
 */
@ExtendWith(RealKafkaExtension.class)
class WaveDigestIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void threeClustersOfAWaveReachTheWebhookAsOneDigest(KafkaBroker broker, SchemaRegistry registry) {
    String run = "wd" + Long.toHexString(System.nanoTime());
    String rollout = "r-" + run;
    List<String> clusters = List.of(run + "-hub", run + "-w1", run + "-w2");
    try (HttpSink webhook = HttpSink.start();
        ConfigurableApplicationContext notifier =
            NotifierApplication.builder()
                .run(
                    ServiceArgs.of(
                        broker,
                        registry,
                        "--stackpilot.notifier.group=" + run,
                        "--stackpilot.notifier.instance-id=" + run,
                        "--stackpilot.notifier.webhook.url=" + webhook.url(),
                        "--stackpilot.notifier.events.digest=wave"))) {
      List<GateEvidence> evidence = new ArrayList<>();
      for (String cluster : clusters) {
        TestRecords.sendEvent(
            broker.bootstrapServers(),
            registry.url(),
            Topic.COMPONENT_HEALTH.topicName(),
            cluster,
            Events.verified(rollout, cluster, "loki", HealthStatus.HEALTHY));
        evidence.add(
            GateEvidence.newBuilder()
                .setKind("health")
                .setSubject(cluster + "/loki")
                .setPassed(true)
                .setDetail("ready")
                .build());
      }
      GateDecided gate =
          GateDecided.newBuilder()
              .setEnvelope(Events.envelope("gate-" + run, rollout, null))
              .setWaveIndex(0)
              .setClusters(clusters)
              .setDecision(GateDecision.PROMOTE)
              .setReasons(List.of("all 3 checks passed"))
              .setEvidence(evidence)
              .build();
      TestRecords.sendEvent(
          broker.bootstrapServers(),
          registry.url(),
          Topic.GATE_DECISIONS.topicName(),
          rollout,
          gate);

      // the digest first
      JsonNode digest =
          await()
              .atMost(WAIT)
              .until(() -> gatesOf(webhook, rollout), gates -> !gates.isEmpty())
              .get(0);
      assertThat(digest.path("annotations").path("clusters").asText())
          .isEqualTo(String.join(",", clusters));
      assertThat(digest.path("annotations").path("summary").asText())
          .isEqualTo("Wave 0 of rollout " + rollout + ": PROMOTE, 3 of 3 clusters passed");
      assertThat(digest.path("annotations").path("digest").asText().lines())
          .containsExactly(
              "\u2705 " + clusters.get(0) + ": loki",
              "\u2705 " + clusters.get(1) + ": loki",
              "\u2705 " + clusters.get(2) + ": loki");

      // then: that one request, and no verdict of the rollout (they were sent before the gate)
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(requestsAbout(webhook, rollout)).hasSize(1);
                assertThat(alertsOf(webhook, rollout))
                    .extracting(a -> a.path("labels").path("alertname").asText())
                    .doesNotContain(EventAlerts.VERDICT_ALERTNAME)
                    .containsExactly(EventAlerts.GATE_ALERTNAME);
              });
    }
  }

  /** The gate decisions of this rollout the webhook was sent. */
  static List<JsonNode> gatesOf(HttpSink webhook, String rollout) {
    return alertsOf(webhook, rollout).stream()
        .filter(a -> EventAlerts.GATE_ALERTNAME.equals(a.path("labels").path("alertname").asText()))
        .toList();
  }

  /** The webhook's requests with an alert of this rollout. */
  static List<JsonNode> requestsAbout(HttpSink webhook, String rollout) {
    return webhook.bodies().stream()
        .map(WaveDigestIT::read)
        .filter(
            body -> {
              for (JsonNode a : body.path("alerts")) {
                if (rollout.equals(a.path("labels").path("rollout").asText())) {
                  return true;
                }
              }
              return false;
            })
        .toList();
  }

  /** Every alert of this rollout the webhook was sent, in the order of the requests. */
  static List<JsonNode> alertsOf(HttpSink webhook, String rollout) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode body : requestsAbout(webhook, rollout)) {
      for (JsonNode a : body.path("alerts")) {
        if (rollout.equals(a.path("labels").path("rollout").asText())) {
          out.add(a);
        }
      }
    }
    return out;
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
