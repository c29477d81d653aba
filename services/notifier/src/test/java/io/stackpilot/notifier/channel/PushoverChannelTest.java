package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static io.stackpilot.notifier.channel.Fixtures.firing;
import static io.stackpilot.notifier.channel.Fixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Pushover channel against a local sink: the exact form Pushover's message API documents. */
class PushoverChannelTest {

  static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
  static final SecretSource SECRETS =
      SecretSource.inMemory(Map.of("pushover", Map.of("token", TOKEN, "user", USER)));

  private final RecordingHttpSink sink =
      RecordingHttpSink.start().respond(200, "{\"status\":1,\"request\":\"647d2300\"}");

  @AfterEach
  void close() {
    sink.close();
  }

  private Channel channel(String extra) {
    return Fixtures.only(
        "pushover_configs:\n"
            + "- token: {secretRef: {name: pushover, key: token}}\n"
            + "  user_key: {secretRef: {name: pushover, key: user}}\n"
            + "  api_url: "
            + sink.url("/1/")
            + "\n"
            + extra,
        SECRETS);
  }

  @Test
  void postsTheDocumentedFormWithTheDefaultLook() {
    Channel channel = channel("");
    SendOutcome outcome = channel.send(firing(alert("HighCpu", "critical")), "n-1");

    assertThat(outcome)
        .isEqualTo(new SendOutcome(true, false, 200, "delivered, request 647d2300", null));
    assertThat(channel.id()).isEqualTo("pushover/0");
    assertThat(channel.kind()).isEqualTo(io.stackpilot.events.Channel.PUSHOVER);
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/1/messages.json");
    assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(r.form())
        .containsExactly(
            Map.entry("token", TOKEN),
            Map.entry("user", USER),
            Map.entry("title", "\uD83D\uDD25 FIRING: HighCpu"),
            Map.entry(
                "message",
                "\uD83D\uDCCA Cluster: homelab\n\u26A0\uFE0F Severity: critical\n\n"
                    + "\uD83D\uDD17 View alerts: https://console.example.org/alerts"),
            Map.entry("priority", "1"),
            Map.entry("url", "https://console.example.org/alerts"),
            Map.entry("timestamp", String.valueOf(Fixtures.NOW.getEpochSecond())));
  }

  @Test
  void prioritiesFollowTheHighestSeverityAndAResolutionNeverPages() {
    Channel channel = channel("");
    channel.send(firing(alert("A", "warning")), "n");
    channel.send(firing(alert("A", "info")), "n");
    channel.send(firing(alert("A", "warning"), alert("B", "critical")), "n");
    channel.send(firing(alert("A", "unknown")), "n");
    channel.send(resolved(alert("A", "critical")), "n");

    assertThat(sink.requests())
        .extracting(r -> r.form().get("priority"))
        .containsExactly("0", "-1", "1", "0", "0");
    assertThat(sink.requests().get(4).form().get("title")).isEqualTo("\u2705 RESOLVED: A");
  }

  @Test
  void truncatesToPushoverLimitsWithAnEllipsis() {
    String longText = "x".repeat(2000);
    Channel channel =
        channel(
            "  title: '"
                + longText
                + "'\n  message: '"
                + longText
                + "'\n  url: 'https://example.org/"
                + longText
                + "'\n  url_title: '"
                + longText
                + "'\n");
    channel.send(firing(alert("A", "warning")), "n");

    Map<String, String> form = sink.only().form();
    assertThat(form.get("title")).hasSize(250).endsWith("x…");
    assertThat(form.get("message")).hasSize(1024).endsWith("x…");
    assertThat(form.get("url")).hasSize(512).endsWith("…");
    assertThat(form.get("url_title")).hasSize(100).endsWith("…");
  }

  @Test
  void truncationCountsCharactersNotUtf16Units() {
    String emojis = "\uD83D\uDD25".repeat(1100);
    channel("  message: '" + emojis + "'\n").send(firing(alert("A", "warning")), "n");

    String message = sink.only().form().get("message");
    assertThat(message.codePointCount(0, message.length())).isEqualTo(1024);
    assertThat(message).endsWith("\uD83D\uDD25…");
  }

  @Test
  void emergencyCarriesRetryAndExpireAndReturnsTheReceipt() {
    sink.respond(
        200, "{\"status\":1,\"request\":\"r1\",\"receipt\":\"rLqVuqTRh62UzxtmqiaLzQmVcPgiCy\"}");
    Channel channel =
        channel(
            "  priorities: {critical: 2, warning: 1}\n  retry: 45s\n  expire: 2h\n  sound: siren\n  html: true\n");
    SendOutcome outcome = channel.send(firing(alert("A", "critical")), "n");

    assertThat(outcome.delivered()).isTrue();
    assertThat(outcome.receipt()).isEqualTo("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy");
    Map<String, String> form = sink.only().form();
    assertThat(form)
        .containsEntry("priority", "2")
        .containsEntry("retry", "45")
        .containsEntry("expire", "7200")
        .containsEntry("sound", "siren")
        .containsEntry("html", "1");
  }

  @Test
  void nonEmergencyMessagesCarryNoRetry() {
    channel("  priority: -2\n").send(firing(alert("A", "critical")), "n");
    assertThat(sink.only().form())
        .containsEntry("priority", "-2")
        .doesNotContainKeys("retry", "expire");
  }

  @Test
  void refusalIsNotRetryableAndNamesPushoversErrors() {
    sink.respond(
        400, "{\"user\":\"invalid\",\"errors\":[\"user identifier is invalid\"],\"status\":0}");
    SendOutcome outcome = channel("").send(firing(alert("A", "critical")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.retryable()).isFalse();
    assertThat(outcome.status()).isEqualTo(400);
    assertThat(outcome.detail()).contains("user identifier is invalid");
  }

  @Test
  void rateLimitAndServerErrorsAreRetryable() {
    Channel channel = channel("");
    sink.respond(429, "{\"status\":0}").respondHeader("Retry-After", "60");
    SendOutcome limited = channel.send(firing(alert("A", "critical")), "n");
    sink.respond(503, "");
    SendOutcome down = channel.send(firing(alert("A", "critical")), "n");

    assertThat(limited.retryable()).isTrue();
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.detail()).contains("Retry-After: 60");
    assertThat(down.retryable()).isTrue();
    assertThat(down.status()).isEqualTo(503);
  }

  @Test
  void aHangingServerTimesOutAsRetryable() {
    sink.hang();
    SendOutcome outcome = channel("  timeout: 200ms\n").send(firing(alert("A", "critical")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.retryable()).isTrue();
    assertThat(outcome.status()).isNull();
    assertThat(outcome.detail()).isEqualTo("no answer within 200 ms");
  }

  @Test
  void receiptsAreFollowedUntilAcknowledged() {
    Channel channel = channel("");
    PushoverReceipts receipts = PushoverReceipts.of(channel).orElseThrow();
    sink.respond(
        200,
        "{\"status\":1,\"acknowledged\":1,\"acknowledged_at\":1763719500,"
            + "\"acknowledged_by\":\"uQiRzpo4DXghDmr9QzzfQu27cmVRsG\",\"acknowledged_by_device\":\"phone\","
            + "\"last_delivered_at\":1763719400,\"expired\":0,\"expires_at\":1763726400,"
            + "\"called_back\":0,\"called_back_at\":0,\"request\":\"r2\"}");

    PushoverReceipts.Acknowledgement ack = receipts.poll("rLqVuqTRh62UzxtmqiaLzQmVcPgiCy");

    assertThat(ack)
        .isEqualTo(
            new PushoverReceipts.Acknowledgement(
                true, USER, Instant.ofEpochSecond(1763719500), false));
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/1/receipts/rLqVuqTRh62UzxtmqiaLzQmVcPgiCy.json");
    assertThat(RecordingHttpSink.Request.form(r.rawQuery()))
        .containsExactly(Map.entry("token", TOKEN));
    assertThat(ack.toString()).doesNotContain(USER);
  }

  @Test
  void anExpiredUnacknowledgedReceipt() {
    sink.respond(
        200,
        "{\"status\":1,\"acknowledged\":0,\"acknowledged_at\":0,\"acknowledged_by\":\"\",\"expired\":1}");
    PushoverReceipts.Acknowledgement ack =
        PushoverReceipts.of(channel("")).orElseThrow().poll("abc123");
    assertThat(ack).isEqualTo(new PushoverReceipts.Acknowledgement(false, null, null, true));
  }

  @Test
  void aFailedPollSaysWhetherToRetryWithoutTheToken() {
    PushoverReceipts receipts = PushoverReceipts.of(channel("")).orElseThrow();
    sink.respond(
        404,
        "{\"receipt\":\"not found\",\"status\":0,\"errors\":[\"receipt not found; may be invalid or expired\"]}");
    assertThatThrownBy(() -> receipts.poll("abc123"))
        .isInstanceOfSatisfying(
            PushoverReceipts.PollFailedException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).contains("receipt not found").doesNotContain(TOKEN);
            });
    sink.respond(500, "");
    assertThatThrownBy(() -> receipts.poll("abc123"))
        .isInstanceOfSatisfying(
            PushoverReceipts.PollFailedException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(receipts.toString()).doesNotContain(TOKEN);
  }

  @Test
  void otherChannelsHaveNoReceipts() {
    Channel webhook =
        Fixtures.only("webhook_configs:\n- url: " + sink.url("/hook") + "\n", SECRETS);
    assertThat(PushoverReceipts.of(webhook)).isEmpty();
  }
}
