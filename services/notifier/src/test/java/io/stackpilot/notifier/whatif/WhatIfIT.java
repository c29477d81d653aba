package io.stackpilot.notifier.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What-if over a range the real notifier recorded: alerts of 4 clusters, one critical and one
 * warning each, routed to a team (everything, grouped per alert name and cluster) and to on-call
 * (critical only, the same grouping) through real webhooks. Replayed with the configuration that
 * ran, the what-if counts exactly what was sent; with a stricter tree (critical only, one group per
 * alert name across the fleet) it counts fewer for each receiver.
 */
@ExtendWith(RealKafkaExtension.class)
class WhatIfIT {
  static final List<String> CLUSTERS = List.of("w1", "w2", "w3", "w4");

  @Test
  void aStricterTreeWouldHaveSentFewerNotificationsPerReceiver(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String team = "team-" + run;
    String oncall = "oncall-" + run;
    try (HttpSink sink = HttpSink.start();
        EventTap tap =
            EventTap.avro(
                broker.bootstrapServers(),
                registry.url(),
                List.of(Topic.ALERTS.topicName(), Topic.NOTIFICATIONS_SENT.topicName()))) {
      String ran = config(run, sink, "[alertname, cluster]", true);
      Path routing = dir.resolve("routing.yaml");
      Files.writeString(routing, ran);
      ConfigurableApplicationContext notifier =
          NotifierApplication.builder()
              .run(
                  ServiceArgs.of(
                      broker, registry, "--stackpilot.notifier.routing.file=" + routing));
      try {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (String cluster : CLUSTERS) {
          for (String severity : List.of("critical", "warning")) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("alertname", severity.equals("critical") ? "NodeDown" : "DiskFilling");
            labels.put("cluster", cluster);
            labels.put("severity", severity);
            labels.put("run", run);
            AlertStatusChanged alert = alert(labels, at);
            TestRecords.sendEvent(
                broker.bootstrapServers(),
                registry.url(),
                Topic.ALERTS.topicName(),
                alert.getFingerprint(),
                alert);
          }
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> sent(tap, team).size() == 8 && sent(tap, oncall).size() == 4);
        // nothing more comes: each group flushed once
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> sent(tap, team).size() == 8 && sent(tap, oncall).size() == 4);
        // the same question over HTTP, to the running notifier: it reads the topics itself
        String base =
            "http://127.0.0.1:"
                + notifier.getEnvironment().getProperty("local.server.port")
                + "/api/routing/what-if";
        HttpResponse<String> answer =
            post(base + "?since=" + at.minusSeconds(1), config(run, sink, "[alertname]", false));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(answer.body());
        assertThat(body.at("/candidate/byReceiver/" + team).asInt()).isEqualTo(1);
        assertThat(body.at("/candidate/byReceiver/" + oncall).asInt()).isEqualTo(1);
        assertThat(body.at("/recorded/byReceiver/" + team).asInt()).isEqualTo(8);
        assertThat(body.at("/recorded/byReceiver/" + oncall).asInt()).isEqualTo(4);
        HttpResponse<String> refused = post(base, "route: {receiver: nowhere}\n");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("route.receiver");
      } finally {
        notifier.close();
      }

      List<SpecificRecord> range = new ArrayList<>();
      tap.values(AlertStatusChanged.class).stream()
          .filter(a -> run.equals(a.getLabels().get("run")))
          .forEach(range::add);
      range.addAll(sent(tap, team));
      range.addAll(sent(tap, oncall));
      Instant until = Instant.now().plus(Duration.ofMinutes(1));
      WhatIf whatIf = new WhatIf(Duration.ofHours(24), "webhook");

      WhatIf.Report same = whatIf.compare(RoutingConfigLoader.load(ran), range, until);
      RoutingConfig stricter = RoutingConfigLoader.load(config(run, sink, "[alertname]", false));
      WhatIf.Report strict = whatIf.compare(stricter, range, until);

      assertThat(same.recorded().byReceiver())
          .containsExactlyInAnyOrderEntriesOf(Map.of(oncall, 4, team, 8));
      assertThat(same.recorded().bySeverity().get(team))
          .containsExactlyInAnyOrderEntriesOf(Map.of("critical", 4, "warning", 4));
      assertThat(same.candidate()).isEqualTo(same.recorded());
      assertThat(strict.candidate().byReceiver())
          .containsExactlyInAnyOrderEntriesOf(new TreeMap<>(Map.of(oncall, 1, team, 1)));
      assertThat(strict.candidate().bySeverity().get(team))
          .containsExactlyInAnyOrderEntriesOf(Map.of("critical", 1));
      for (String receiver : List.of(team, oncall)) {
        assertThat(strict.candidate().byReceiver().get(receiver))
            .as(receiver)
            .isLessThan(strict.recorded().byReceiver().get(receiver));
      }
    }
  }

  /**
   * The tree of the run: the team gets every alert of the run (or, stricter, its critical ones
   * only), on-call its critical ones; everything else goes to a receiver without channels.
   */
  private static String config(String run, HttpSink sink, String groupBy, boolean everything) {
    return """
        route:
          receiver: elsewhere
          group_by: %2$s
          group_wait: 1s
          group_interval: 5m
          repeat_interval: 4h
          routes:
            - matchers: ['run="%1$s"'%4$s]
              receiver: team-%1$s
              continue: true
            - matchers: ['run="%1$s"', 'severity="critical"']
              receiver: oncall-%1$s
        receivers:
          - name: elsewhere
          - name: team-%1$s
            webhook_configs: [{url: "%3$s/team"}]
          - name: oncall-%1$s
            webhook_configs: [{url: "%3$s/oncall"}]
        """
        .formatted(run, groupBy, sink.url(), everything ? "" : ", 'severity=\"critical\"'");
  }

  private static HttpResponse<String> post(String url, String yaml) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static AlertStatusChanged alert(Map<String, String> labels, Instant at) {
    return AlertStatusChanged.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setActor("service:prometheus")
                .setCluster(labels.get("cluster"))
                .setCorrelationId("alerts")
                .setProducer("test")
                .build())
        .setStatus(AlertStatus.FIRING)
        .setFingerprint(new TreeMap<>(labels).toString())
        .setLabels(labels)
        .setStartsAt(at)
        .build();
  }

  private static List<NotificationSent> sent(EventTap tap, String receiver) {
    return tap.values(NotificationSent.class).stream()
        .filter(n -> receiver.equals(n.getReceiver()))
        .toList();
  }
}
