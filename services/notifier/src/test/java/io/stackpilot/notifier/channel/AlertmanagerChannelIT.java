package io.stackpilot.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.testing.RealComponent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the Alertmanager channel's alerts are accepted by a real Alertmanager (Debian's package):
 * a firing alert is listed by its API v2 with our labels and fingerprint, and a resolved one ends
 * at the endsAt we sent, as Alertmanager's own webhook reports it.
 */
class AlertmanagerChannelIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void firingAlertsAreListedAndResolvedOnesEnd(@TempDir Path dir) throws Exception {
    try (RecordingHttpSink hook = RecordingHttpSink.start();
        RealComponent am =
            RealComponent.alertmanager(
                dir,
                "global:\n  resolve_timeout: 1h\n"
                    + "route:\n  receiver: hook\n  group_by: [alertname]\n"
                    + "  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\n"
                    + "receivers:\n- name: hook\n  webhook_configs:\n"
                    + "  - url: "
                    + hook.url("/am-webhook")
                    + "\n    send_resolved: true\n")) {
      Channel channel =
          Fixtures.only(
              "alertmanager_configs:\n- url: " + am.url() + "\n", SecretSource.inMemory(Map.of()));
      Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      Map<String, String> labels =
          Map.of(
              "alertname",
              "DiskFull",
              "cluster",
              "homelab",
              "severity",
              "critical",
              "instance",
              "node-1");
      Alert firing = Alert.firing(labels, started);

      SendOutcome sent = channel.send(notification(List.of(firing), List.of()), "n-1");

      assertThat(sent).isEqualTo(SendOutcome.delivered(200, null));
      JsonNode listed =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> alerts(am.url()), a -> a.size() == 1)
              .get(0);
      assertThat(JSON.convertValue(listed.get("labels"), Map.class)).isEqualTo(labels);
      assertThat(Instant.parse(listed.get("startsAt").asText())).isEqualTo(started);
      assertThat(listed.at("/status/state").asText()).isEqualTo("active");
      assertThat(listed.get("fingerprint").asText()).isEqualTo(TemplateData.fingerprint(labels));
      // no endsAt sent: Alertmanager applies its resolve_timeout (1h here)
      assertThat(Instant.parse(listed.get("endsAt").asText()))
          .isAfter(Instant.now().plus(Duration.ofMinutes(50)));

      Instant ended = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      SendOutcome resolved =
          channel.send(notification(List.of(), List.of(firing.resolved(ended))), "n-2");

      assertThat(resolved.delivered()).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> alerts(am.url()).isEmpty());
      JsonNode lastWebhookAlert =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> resolvedAlertsSent(hook), list -> !list.isEmpty())
              .get(0);
      assertThat(Instant.parse(lastWebhookAlert.get("endsAt").asText())).isEqualTo(ended);
      assertThat(JSON.convertValue(lastWebhookAlert.get("labels"), Map.class)).isEqualTo(labels);
      assertThat(lastWebhookAlert.get("fingerprint").asText())
          .isEqualTo(TemplateData.fingerprint(labels));
    }
  }

  @Test
  void ourWebhookPayloadHasAlertmanagersOwnShape(@TempDir Path dir) throws Exception {
    try (RecordingHttpSink hook = RecordingHttpSink.start();
        RealComponent am =
            RealComponent.alertmanager(
                dir,
                "route:\n  receiver: hook\n  group_by: [alertname]\n"
                    + "  group_wait: 0s\n  group_interval: 1s\n"
                    + "receivers:\n- name: hook\n  webhook_configs:\n"
                    + "  - url: "
                    + hook.url("/am-webhook")
                    + "\n")) {
      Map<String, String> labels = Map.of("alertname", "HighCpu", "cluster", "homelab");
      Alert alert = Alert.firing(labels, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      Fixtures.only(
              "alertmanager_configs:\n- url: " + am.url() + "\n", SecretSource.inMemory(Map.of()))
          .send(notification(List.of(alert), List.of()), "n");
      JsonNode theirs =
          JSON.readTree(
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(hook::requests, r -> !r.isEmpty())
                  .get(0)
                  .body());

      Notification ours =
          new Notification(
              "hook",
              theirs.get("groupKey").asText(),
              Map.of("alertname", "HighCpu"),
              List.of(alert),
              List.of(),
              Instant.now());
      JsonNode mine =
          JSON.valueToTree(
              AlertmanagerWebhookPayload.of(ours, 0, theirs.get("externalURL").asText()));

      assertThat(names(mine)).isEqualTo(names(theirs));
      assertThat(names(mine.at("/alerts/0"))).isEqualTo(names(theirs.at("/alerts/0")));
      for (String field :
          List.of(
              "receiver",
              "status",
              "groupLabels",
              "commonLabels",
              "version",
              "groupKey",
              "truncatedAlerts",
              "externalURL")) {
        assertThat(mine.get(field)).as(field).isEqualTo(theirs.get(field));
      }
      for (String field : List.of("status", "labels", "startsAt", "endsAt", "fingerprint")) {
        assertThat(mine.at("/alerts/0/" + field))
            .as("alerts[0]." + field)
            .isEqualTo(theirs.at("/alerts/0/" + field));
      }
    }
  }

  private static Notification notification(List<Alert> firing, List<Alert> resolved) {
    return new Notification("forward", "{}:{}", Map.of(), firing, resolved, Instant.now());
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static JsonNode alerts(URI base) throws Exception {
    HttpResponse<String> response =
        Fixtures.HTTP.send(
            HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<JsonNode> resolvedAlertsSent(RecordingHttpSink hook) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (RecordingHttpSink.Request r : hook.requests()) {
      for (JsonNode a : JSON.readTree(r.body()).get("alerts")) {
        if (a.get("status").asText().equals("resolved")) {
          out.add(a);
        }
      }
    }
    return out;
  }
}
