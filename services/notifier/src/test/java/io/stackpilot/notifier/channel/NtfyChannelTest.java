package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static io.stackpilot.notifier.channel.Fixtures.firing;
import static io.stackpilot.notifier.channel.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ntfy channel against a local sink: ntfy's publish-by-headers format. */
class NtfyChannelTest {

  static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  static final SecretSource SECRETS = SecretSource.inMemory(Map.of("ntfy", Map.of("token", TOKEN)));

  private final RecordingHttpSink sink =
      RecordingHttpSink.start().respond(200, "{\"id\":\"sPs71M8A2T\",\"event\":\"message\"}");

  @AfterEach
  void close() {
    sink.close();
  }

  private Channel channel(String extra) {
    return Fixtures.only(
        "ntfy_configs:\n- url: " + sink.url("/grafana-alerts") + "\n" + extra, SECRETS);
  }

  /** ntfy decodes RFC 2047 encoded words in Title and Tags (since v2.4.0). */
  static String decoded(String header) {
    if (header.startsWith("=?UTF-8?B?") && header.endsWith("?=")) {
      return new String(
          Base64.getDecoder().decode(header.substring(10, header.length() - 2)),
          StandardCharsets.UTF_8);
    }
    return header;
  }

  @Test
  void publishesSeed000sLookWithHeaders() {
    SendOutcome outcome = channel("").send(firing(alert("High CPU Usage", "warning")), "n-1");

    assertThat(outcome)
        .isEqualTo(new SendOutcome(true, false, 200, "delivered, message sPs71M8A2T", null));
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/grafana-alerts");
    assertThat(r.header("Title")).startsWith("=?UTF-8?B?");
    assertThat(decoded(r.header("Title"))).isEqualTo("\uD83D\uDD25 FIRING: High CPU Usage");
    assertThat(r.header("Priority")).isEqualTo("4");
    assertThat(r.header("Tags")).isEqualTo("warning,homelab");
    assertThat(r.header("Click")).isEqualTo("https://console.example.org/alerts");
    assertThat(r.header("Authorization")).isNull();
    assertThat(r.header("Actions")).isNull();
    assertThat(r.body())
        .isEqualTo(
            "\uD83D\uDCCA Cluster: homelab\n"
                + "\u26A0\uFE0F Severity: warning\n\n"
                + "\uD83D\uDD17 View alerts: https://console.example.org/alerts");
  }

  @Test
  void resolvedLooksResolvedAndIsQuieter() {
    channel("").send(resolved(alert("High CPU Usage", "critical")), "n");
    RecordingHttpSink.Request r = sink.only();
    assertThat(decoded(r.header("Title"))).isEqualTo("\u2705 RESOLVED: High CPU Usage");
    assertThat(r.header("Priority")).isEqualTo("3");
  }

  @Test
  void prioritiesOneToFiveFromSeverity() {
    Channel channel = channel("  priorities: {critical: 5, warning: 3, info: 1}\n");
    channel.send(firing(alert("A", "critical")), "n");
    channel.send(firing(alert("A", "warning")), "n");
    channel.send(firing(alert("A", "info")), "n");
    channel.send(firing(alert("A", "other")), "n");
    assertThat(sink.requests())
        .extracting(r -> r.header("Priority"))
        .containsExactly("5", "3", "1", "3");
  }

  @Test
  void bearerTokenFromTheSecretAndActionButtonsInNtfySyntax() {
    Channel channel =
        channel(
            "  token: {secretRef: {name: ntfy, key: token}}\n"
                + "  title: '{{ .Status }} {{ .CommonLabels.alertname }}'\n"
                + "  tags: [rotating_light, '{{ .CommonLabels.cluster }}']\n"
                + "  click: 'https://grafana.lab/alerting/list'\n"
                + "  actions:\n"
                + "  - {action: view, label: Open Grafana, url: 'https://grafana.lab/d/x?a=1,2', clear: true}\n"
                + "  - {action: http, label: Silence 1h, url: 'https://am.lab/api/v2/silences', method: POST, body: '{\"c\":1}'}\n");
    channel.send(firing(alert("HighCpu", "critical")), "n");

    RecordingHttpSink.Request r = sink.only();
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.header("Title")).isEqualTo("firing HighCpu");
    assertThat(r.header("Tags")).isEqualTo("rotating_light,homelab");
    assertThat(r.header("Click")).isEqualTo("https://grafana.lab/alerting/list");
    assertThat(r.header("Actions"))
        .isEqualTo(
            "view, Open Grafana, 'https://grafana.lab/d/x?a=1,2', clear=true; "
                + "http, Silence 1h, https://am.lab/api/v2/silences, method=POST, body='{\"c\":1}'");
  }

  @Test
  void refusedAndThrottledAnswers() {
    Channel channel = channel("");
    sink.respond(403, "{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}");
    SendOutcome forbidden = channel.send(firing(alert("A", "critical")), "n");
    sink.respond(429, "{\"code\":42901,\"http\":429,\"error\":\"limit reached\"}");
    SendOutcome limited = channel.send(firing(alert("A", "critical")), "n");
    assertThat(forbidden.retryable()).isFalse();
    assertThat(forbidden.detail()).contains("forbidden");
    assertThat(limited.retryable()).isTrue();
  }

  @Test
  void aTopicUrlMayNotCarryItsCredentials() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Fixtures.only(
                    "ntfy_configs:\n- url: 'https://ntfy.sh/alerts?auth=QmFzaWMgcGhpbDpteXBhc3M'\n",
                    SECRETS))
        .hasMessageContaining(
            "receivers[0].ntfy_configs[0].url: must not carry credentials; reference a secret instead")
        .hasMessageNotContaining("QmFzaWMgcGhpbDpteXBhc3M");
  }
}
