package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static io.stackpilot.notifier.channel.Fixtures.firing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slack channel against a local sink: an incoming-webhook JSON document with Block Kit. */
class SlackChannelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordingHttpSink sink = RecordingHttpSink.start().respond(200, "ok");

  @AfterEach
  void close() {
    sink.close();
  }

  private SecretSource secrets() {
    return SecretSource.inMemory(
        Map.of(
            "slack", Map.of("webhook", sink.url("/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX"))));
  }

  @Test
  void postsTextAndBlocksToTheWebhookFromTheSecret() throws Exception {
    Channel channel =
        Fixtures.only(
            "slack_configs:\n- api_url: {secretRef: {name: slack, key: webhook}}\n  channel: '#alerts'\n  username: stackpilot\n",
            secrets());
    SendOutcome outcome = channel.send(firing(alert("HighCpu", "critical")), "n");

    assertThat(outcome).isEqualTo(SendOutcome.delivered(200, null));
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX");
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    Map<?, ?> body = JSON.readValue(r.body(), Map.class);
    assertThat(body)
        .isEqualTo(
            Map.of(
                "text", "\uD83D\uDD25 FIRING: HighCpu",
                "blocks",
                    List.of(
                        Map.of(
                            "type",
                            "header",
                            "text",
                            Map.of(
                                "type", "plain_text",
                                "text", "\uD83D\uDD25 FIRING: HighCpu",
                                "emoji", true)),
                        Map.of(
                            "type",
                            "section",
                            "text",
                            Map.of(
                                "type",
                                "mrkdwn",
                                "text",
                                "\uD83D\uDCCA Cluster: homelab\n\u26A0\uFE0F Severity: critical\n\n"
                                    + "\uD83D\uDD17 View alerts: https://console.example.org/alerts"))),
                "channel", "#alerts",
                "username", "stackpilot"));
  }

  @Test
  void blockTextsAreCutToSlackLimits() throws Exception {
    Fixtures.only(
            "slack_configs:\n- api_url: {secretRef: {name: slack, key: webhook}}\n"
                + "  title: '"
                + "t".repeat(400)
                + "'\n  message: '"
                + "m".repeat(5000)
                + "'\n",
            secrets())
        .send(firing(alert("A", "warning")), "n");
    var body = JSON.readTree(sink.only().body());
    assertThat(body.at("/blocks/0/text/text").asText()).hasSize(150).endsWith("…");
    assertThat(body.at("/blocks/1/text/text").asText()).hasSize(3000).endsWith("…");
  }

  @Test
  void aRefusalNeverShowsTheWebhookPath() {
    sink.respond(404, "no_service");
    SendOutcome outcome =
        Fixtures.only(
                "slack_configs:\n- api_url: {secretRef: {name: slack, key: webhook}}\n", secrets())
            .send(firing(alert("A", "warning")), "n");
    assertThat(outcome.retryable()).isFalse();
    assertThat(outcome.detail()).isEqualTo("HTTP 404: no_service");
  }

  @Test
  void theWebhookUrlMayComeFromAFileButNeverInline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slack-url");
    Files.writeString(file, sink.url("/services/T1/B1/fromfile") + "\n");
    Fixtures.only("slack_configs:\n- api_url_file: " + file + "\n", secrets())
        .send(firing(alert("A", "warning")), "n");
    assertThat(sink.only().path()).isEqualTo("/services/T1/B1/fromfile");

    assertThatThrownBy(
            () ->
                Fixtures.only(
                    "slack_configs:\n- api_url: https://hooks.slack.com/services/T1/B1/inlineSecret\n",
                    secrets()))
        .hasMessageContaining("receivers[0].slack_configs[0].api_url: must be a secret reference")
        .hasMessageNotContaining("inlineSecret");
  }
}
