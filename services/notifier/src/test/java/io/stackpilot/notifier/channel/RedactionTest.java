package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static io.stackpilot.notifier.channel.Fixtures.firing;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A secret value never appears in an outcome's detail, an exception message, a toString or the log,
 * even when the server echoes it back in its error.
 */
class RedactionTest {

  static final String TOKEN = "S3CR3T-t0k3n-4f1e";
  static final String USER = "uS3r-k3y-99aa";
  static final SecretSource SECRETS =
      SecretSource.inMemory(
          Map.of(
              "pushover", Map.of("token", TOKEN, "user", USER),
              "ntfy", Map.of("token", TOKEN),
              "hooks", Map.of("token", TOKEN)));

  private final RecordingHttpSink sink = RecordingHttpSink.start();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Channel.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void close() {
    logger.detachAppender(log);
    sink.close();
  }

  private List<Channel> channels() {
    return Channels.forReceiver(
        Fixtures.receiver(
            "pushover_configs:\n- token: {secretRef: {name: pushover, key: token}}\n"
                + "  user_key: {secretRef: {name: pushover, key: user}}\n  api_url: "
                + sink.url("/1/")
                + "\n"
                + "ntfy_configs:\n- url: "
                + sink.url("/topic")
                + "\n  token: {secretRef: {name: ntfy, key: token}}\n"
                + "webhook_configs:\n- url: "
                + sink.url("/hook")
                + "\n  bearer_token: {secretRef: {name: hooks, key: token}}\n"),
        "receivers[0]",
        SECRETS,
        Fixtures.HTTP,
        Fixtures.CLOCK);
  }

  @Test
  void echoedSecretsAreMaskedInDetailsAndLogs() {
    sink.respond(
        401, "{\"errors\":[\"token " + TOKEN + " / user " + USER + " is invalid\"],\"status\":0}");
    List<SendOutcome> outcomes = new ArrayList<>();
    for (Channel c : channels()) {
      outcomes.add(c.send(firing(alert("A", "critical")), "n"));
    }

    // every channel masks its own secrets (the token); Pushover's user key is Pushover's alone
    assertThat(outcomes)
        .hasSize(3)
        .allSatisfy(
            o -> {
              assertThat(o.delivered()).isFalse();
              assertThat(o.retryable()).isFalse();
              assertThat(o.detail()).contains("<redacted>").doesNotContain(TOKEN);
              assertThat(o.toString()).doesNotContain(TOKEN);
            });
    assertThat(outcomes.get(1).detail())
        .isEqualTo(
            "HTTP 401: {\"errors\":[\"token <redacted> / user <redacted> is invalid\"],\"status\":0}");
    assertThat(log.list).hasSize(3);
    assertThat(log.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
    assertThat(log.list.get(1).getFormattedMessage()).contains("PUSHOVER").doesNotContain(USER);
    // the secrets really were sent: redaction is about reporting, not about the request
    assertThat(sink.requests().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(sink.requests().get(1).form())
        .containsEntry("token", TOKEN)
        .containsEntry("user", USER);
  }

  @Test
  void channelsAndCredentialsPrintReferencesOnly() {
    for (Channel c : channels()) {
      assertThat(c.toString()).doesNotContain(TOKEN, USER);
    }
    assertThat(PushoverReceipts.of(channels().get(1)).orElseThrow().toString())
        .contains("secret pushover/token")
        .doesNotContain(TOKEN);
    assertThat(SECRETS.toString()).doesNotContain(TOKEN, USER);
  }

  @Test
  void anInlineSecretInConfigIsNeverRepeated() {
    try {
      Channels.validate(
          Fixtures.receiver(
              "ntfy_configs:\n- url: 'https://u:"
                  + TOKEN
                  + "@ntfy.example.org/t'\n  token: "
                  + TOKEN
                  + "\n"),
          "receivers[0]");
    } catch (InvalidRoutingConfigException e) {
      assertThat(e.getMessage()).doesNotContain(TOKEN);
      assertThat(e.violations()).hasSize(2);
      return;
    }
    throw new AssertionError("inline credentials were accepted");
  }

  @Test
  void redactorMasksTokenQueriesAndUserInfo() {
    Redactor r = new Redactor();
    assertThat(r.redact("GET https://ntfy.sh/t?auth=QmFzaWM&x=1 and https://bob:pw@host/p"))
        .isEqualTo("GET https://ntfy.sh/t?auth=<redacted>&x=1 and https://<redacted>@host/p");
    r.secretUrl("https://hooks.slack.com/services/T1/B2/abc");
    assertThat(r.redact("404 for /services/T1/B2/abc")).isEqualTo("404 for <redacted>");
  }
}
