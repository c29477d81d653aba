package io.stackpilot.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.notifier.delivery.EventAlerts;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default message of a gate decision shows its wave's digest, a line per cluster, in place of
 * the cluster line; a wave of a hundred clusters stays within each channel's limit.
 */
class WaveDigestMessageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordingHttpSink sink = RecordingHttpSink.start();

  @AfterEach
  void close() {
    sink.close();
  }

  static GateEvidence health(String subject, boolean passed, String detail) {
    return GateEvidence.newBuilder()
        .setKind("health")
        .setSubject(subject)
        .setPassed(passed)
        .setDetail(detail)
        .build();
  }

  /** The gate's alert as the notifier makes it, in a notification of its own. */
  static Notification gate(List<String> clusters, List<GateEvidence> evidence) {
    GateDecided g =
        GateDecided.newBuilder()
            .setEnvelope(Events.envelope("g-1", "r-42", null))
            .setWaveIndex(1)
            .setClusters(clusters)
            .setDecision(GateDecision.HOLD)
            .setReasons(List.of("health w1/loki: ingester ring unhealthy"))
            .setEvidence(evidence)
            .build();
    Alert alert = new EventAlerts(Duration.ofHours(24)).of(g, Fixtures.T0).get(0).alert();
    return new Notification(
        "team", "{}:{wave=\"1\"}", alert.labels(), List.of(alert), List.of(), Fixtures.NOW);
  }

  static Notification threeClusters() {
    return gate(
        List.of("hub", "w1", "w2"),
        List.of(
            health("hub/loki", true, "ready"),
            health("w1/loki", false, "ingester ring unhealthy"),
            health("w2/loki", true, "ready")));
  }

  static Notification hundredClusters() {
    List<String> clusters = IntStream.range(0, 100).mapToObj(i -> "cluster-" + i).toList();
    List<GateEvidence> evidence = new ArrayList<>();
    for (String c : clusters) {
      evidence.add(health(c + "/loki", false, "ring unhealthy: " + "\u00e9".repeat(70)));
      evidence.add(health(c + "/mimir", false, "ingester unhealthy: " + "y".repeat(70)));
    }
    return gate(clusters, evidence);
  }

  static final String THREE_LINES =
      "\uD83D\uDCCA Wave: 1\n"
          + "\u2705 hub: loki\n"
          + "\u274C w1: loki unhealthy: ingester ring unhealthy\n"
          + "\u2705 w2: loki\n"
          + "\u26A0\uFE0F Severity: warning\n\n"
          + "health w1/loki: ingester ring unhealthy\n\n"
          + "\uD83D\uDD17 View alerts: https://console.example.org/alerts";

  private Channel ntfy() {
    sink.respond(200, "{\"id\":\"m1\"}");
    return Fixtures.only(
        "ntfy_configs:\n- url: " + sink.url("/waves") + "\n", NtfyChannelTest.SECRETS);
  }

  private Channel pushover() {
    sink.respond(200, "{\"status\":1,\"request\":\"r1\"}");
    return Fixtures.only(
        "pushover_configs:\n"
            + "- token: {secretRef: {name: pushover, key: token}}\n"
            + "  user_key: {secretRef: {name: pushover, key: user}}\n"
            + "  api_url: "
            + sink.url("/1/")
            + "\n",
        PushoverChannelTest.SECRETS);
  }

  @Test
  void ntfyShowsTheWaveAndOneLinePerClusterInsteadOfTheClusterLine() {
    assertThat(ntfy().send(threeClusters(), "n-1").delivered()).isTrue();

    RecordingHttpSink.Request r = sink.only();
    assertThat(r.body()).isEqualTo(THREE_LINES);
    assertThat(NtfyChannelTest.decoded(r.header("Title")))
        .isEqualTo("\uD83D\uDD25 FIRING: StackpilotGateDecided");
    assertThat(r.header("Tags")).as("no cluster tag for a wave").isEqualTo("warning");
  }

  @Test
  void pushoverShowsTheSameDigest() {
    assertThat(pushover().send(threeClusters(), "n-1").delivered()).isTrue();

    assertThat(sink.only().form()).containsEntry("message", THREE_LINES);
  }

  @Test
  void aHundredClustersAreCutToPushoversLimit() {
    pushover().send(hundredClusters(), "n-1");

    String message = sink.only().form().get("message");
    assertThat(message.codePointCount(0, message.length())).isEqualTo(PushoverChannel.MAX_MESSAGE);
    assertThat(message)
        .startsWith("\uD83D\uDCCA Wave: 1\n\u274C cluster-0: loki unhealthy: ring unhealthy")
        .endsWith("\u2026");
  }

  @Test
  void aHundredClustersStayWithinNtfysAndSlacksLimits() throws Exception {
    ntfy().send(hundredClusters(), "n-1");
    String body = sink.only().body();
    // ntfy refuses (or turns into an attachment) a message over 4,096 bytes
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(body).contains("\u274C cluster-0: ").containsPattern("\u2026 \\d+ more");

    sink.close();
    RecordingHttpSink slackSink = RecordingHttpSink.start().respond(200, "ok");
    try {
      Channel slack =
          Fixtures.only(
              "slack_configs:\n- api_url: {secretRef: {name: slack, key: webhook}}\n",
              SecretSource.inMemory(
                  Map.of("slack", Map.of("webhook", slackSink.url("/services/T0/B0/X")))));
      slack.send(hundredClusters(), "n-1");
      JsonNode section = JSON.readTree(slackSink.only().body()).path("blocks").get(1);
      String text = section.path("text").path("text").asText();
      assertThat(text.codePointCount(0, text.length()))
          .isLessThanOrEqualTo(SlackChannel.MAX_SECTION);
      assertThat(text).startsWith("\uD83D\uDCCA Wave: 1\n");
    } finally {
      slackSink.close();
    }
  }

  @Test
  void anAlertWithoutDigestKeepsTheClusterLine() {
    ntfy().send(Fixtures.firing(Fixtures.alert("HighCpu", "warning")), "n-1");
    assertThat(sink.only().body()).startsWith("\uD83D\uDCCA Cluster: homelab\n");
  }
}
