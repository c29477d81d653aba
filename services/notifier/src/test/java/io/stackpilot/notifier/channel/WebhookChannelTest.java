package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.NOW;
import static io.stackpilot.notifier.channel.Fixtures.T0;
import static io.stackpilot.notifier.channel.Fixtures.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generic webhook against a local sink: Alertmanager's version-4 payload, field by field. */
class WebhookChannelTest {

  static final String TOKEN = "wh-7c1f0e0b9d5a4f7e";
  static final SecretSource SECRETS =
      SecretSource.inMemory(Map.of("hooks", Map.of("token", TOKEN)));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RecordingHttpSink sink = RecordingHttpSink.start();

  @AfterEach
  void close() {
    sink.close();
  }

  private static Notification mixed() {
    Alert a =
        Alert.firing(
            Map.of("alertname", "HighCpu", "cluster", "homelab", "severity", "warning", "pod", "a"),
            T0);
    Alert b =
        Alert.firing(
            Map.of(
                "alertname", "HighCpu", "cluster", "homelab", "severity", "critical", "pod", "b"),
            T0);
    Alert c =
        Alert.firing(
                Map.of(
                    "alertname",
                    "HighCpu",
                    "cluster",
                    "homelab",
                    "severity",
                    "warning",
                    "pod",
                    "c"),
                T0.minusSeconds(60))
            .resolved(NOW);
    return new Notification(
        "team",
        "{}/{severity=~\"warning|critical\"}:{alertname=\"HighCpu\"}",
        Map.of("alertname", "HighCpu"),
        List.of(a, b),
        List.of(c),
        NOW);
  }

  @Test
  void postsVersion4PayloadExactly() throws Exception {
    Channel channel =
        Fixtures.only(
            "webhook_configs:\n- url: "
                + sink.url("/hooks/in")
                + "\n"
                + "  bearer_token: {secretRef: {name: hooks, key: token}}\n",
            SECRETS);
    SendOutcome outcome = channel.send(mixed(), "team/webhook/0/abc");

    assertThat(outcome).isEqualTo(SendOutcome.delivered(200, null));
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/hooks/in");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Idempotency-Key")).isEqualTo("team/webhook/0/abc");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);

    JsonNode body = JSON.readTree(r.body());
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "receiver",
            "status",
            "alerts",
            "groupLabels",
            "commonLabels",
            "commonAnnotations",
            "externalURL",
            "version",
            "groupKey",
            "truncatedAlerts");
    assertThat(body.get("receiver").asText()).isEqualTo("team");
    assertThat(body.get("status").asText()).isEqualTo("firing");
    assertThat(body.get("version").asText()).isEqualTo("4");
    assertThat(body.get("groupKey").asText())
        .isEqualTo("{}/{severity=~\"warning|critical\"}:{alertname=\"HighCpu\"}");
    assertThat(body.get("truncatedAlerts").asInt()).isZero();
    assertThat(body.get("externalURL").asText()).isEqualTo("https://console.example.org/alerts");
    assertThat(JSON.convertValue(body.get("groupLabels"), Map.class))
        .isEqualTo(Map.of("alertname", "HighCpu"));
    assertThat(JSON.convertValue(body.get("commonLabels"), Map.class))
        .isEqualTo(Map.of("alertname", "HighCpu", "cluster", "homelab"));
    assertThat(body.get("commonAnnotations").isObject()).isTrue();
    assertThat(body.get("commonAnnotations").size()).isZero();

    JsonNode alerts = body.get("alerts");
    assertThat(alerts).hasSize(3);
    JsonNode first = alerts.get(0);
    assertThat(first.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");
    assertThat(first.get("status").asText()).isEqualTo("firing");
    assertThat(JSON.convertValue(first.get("labels"), Map.class))
        .isEqualTo(
            Map.of(
                "alertname", "HighCpu", "cluster", "homelab", "severity", "warning", "pod", "a"));
    assertThat(first.get("startsAt").asText()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(first.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(first.get("generatorURL").asText()).isEmpty();
    assertThat(first.get("fingerprint").asText()).matches("[0-9a-f]{16}");
    JsonNode last = alerts.get(2);
    assertThat(last.get("status").asText()).isEqualTo("resolved");
    assertThat(last.get("startsAt").asText()).isEqualTo("2026-11-21T09:59:00Z");
    assertThat(last.get("endsAt").asText()).isEqualTo("2026-11-21T10:05:00Z");
  }

  @Test
  void fingerprintIsPrometheusLabelSetHash() {
    // model.LabelSet{}.Fingerprint() is FNV-1a's offset basis; a known one-label set checked by
    // hand
    assertThat(TemplateData.fingerprint(Map.of())).isEqualTo("cbf29ce484222325");
    assertThat(TemplateData.fingerprint(Map.of("a", "b")))
        .isEqualTo(TemplateData.fingerprint(new java.util.TreeMap<>(Map.of("a", "b"))))
        .isNotEqualTo(TemplateData.fingerprint(Map.of("a", "c")));
  }

  @Test
  void maxAlertsTruncatesAndCountsWhatWasCut() throws Exception {
    Fixtures.only("webhook_configs:\n- url: " + sink.url("/h") + "\n  max_alerts: 1\n", SECRETS)
        .send(mixed(), "n");
    JsonNode body = JSON.readTree(sink.only().body());
    assertThat(body.get("alerts")).hasSize(1);
    assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(2);
    assertThat(body.get("alerts").get(0).get("labels").get("pod").asText()).isEqualTo("a");
    // as in Alertmanager, common labels are those of the alerts kept
    assertThat(body.get("commonLabels").get("pod").asText()).isEqualTo("a");
  }

  @Test
  void aResolvedOnlyNotificationIsResolved() throws Exception {
    Fixtures.only("webhook_configs:\n- url: " + sink.url("/h") + "\n", SECRETS)
        .send(Fixtures.resolved(alert("A", "critical")), "n");
    assertThat(JSON.readTree(sink.only().body()).get("status").asText()).isEqualTo("resolved");
  }

  @Test
  void sendResolvedFalseSkipsAResolvedOnlyNotification() {
    SendOutcome outcome =
        Fixtures.only(
                "webhook_configs:\n- url: " + sink.url("/h") + "\n  send_resolved: false\n",
                SECRETS)
            .send(Fixtures.resolved(alert("A", "critical")), "n");
    assertThat(outcome.delivered()).isTrue();
    assertThat(outcome.detail()).startsWith("nothing to send");
    assertThat(sink.requests()).isEmpty();
  }

  @Test
  void aUrlFromASecretIsNeverShown() {
    SecretSource secrets =
        SecretSource.inMemory(Map.of("hooks", Map.of("url", sink.url("/T0001/B0001/sekr1t"))));
    sink.respond(500, "upstream failed for /T0001/B0001/sekr1t");
    SendOutcome outcome =
        Fixtures.only("webhook_configs:\n- url: {secretRef: {name: hooks, key: url}}\n", secrets)
            .send(Fixtures.firing(alert("A", "critical")), "n");
    assertThat(sink.only().path()).isEqualTo("/T0001/B0001/sekr1t");
    assertThat(outcome.retryable()).isTrue();
    assertThat(outcome.detail()).doesNotContain("sekr1t").contains("HTTP 500");
  }

  @Test
  void aClosedPortIsARetryableConnectionFailure() {
    String url = sink.url("/h");
    sink.close();
    SendOutcome outcome =
        Fixtures.only("webhook_configs:\n- url: " + url + "\n", SECRETS)
            .send(Fixtures.firing(alert("A", "critical")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.retryable()).isTrue();
    assertThat(outcome.detail()).startsWith("connection failed");
  }
}
