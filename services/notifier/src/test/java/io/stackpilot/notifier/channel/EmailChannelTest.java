package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static io.stackpilot.notifier.channel.Fixtures.firing;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The email channel against SmtpSinkDouble: envelope, headers, body, auth and SMTP replies. */
class EmailChannelTest {

  static final String PASSWORD = "smtp-pa55-9f8e7d";
  static final SecretSource SECRETS =
      SecretSource.inMemory(Map.of("smtp", Map.of("password", PASSWORD)));

  private final SmtpSinkDouble smtp = SmtpSinkDouble.start();

  @AfterEach
  void close() {
    smtp.close();
  }

  private Channel channel(String extra) {
    return Fixtures.only(
        "email_configs:\n"
            + "- to: 'oncall@example.org, backup@example.org'\n"
            + "  from: 'Stackpilot <alerts@example.org>'\n"
            + "  smarthost: 127.0.0.1:"
            + smtp.port()
            + "\n"
            + "  require_tls: false\n"
            + extra,
        SECRETS);
  }

  private static MimeMessage parse(String data) throws Exception {
    return new MimeMessage(
        Session.getInstance(new Properties()),
        new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void sendsTheTitleAsSubjectAndTheMessageAsText() throws Exception {
    Channel channel = channel("");
    SendOutcome outcome = channel.send(firing(alert("HighCpu", "critical")), "team/email/0/n1");

    assertThat(outcome).isEqualTo(SendOutcome.delivered(250, null));
    assertThat(channel.kind()).isEqualTo(io.stackpilot.events.Channel.EMAIL);
    SmtpSinkDouble.Mail mail = smtp.mails().get(0);
    assertThat(smtp.mails()).hasSize(1);
    assertThat(mail.mailFrom()).isEqualTo("alerts@example.org");
    assertThat(mail.rcptTo()).containsExactly("oncall@example.org", "backup@example.org");
    assertThat(smtp.auths()).isEmpty();
    MimeMessage message = parse(mail.data());
    assertThat(message.getSubject()).isEqualTo("\uD83D\uDD25 FIRING: HighCpu");
    assertThat(message.getFrom()[0].toString()).isEqualTo("Stackpilot <alerts@example.org>");
    assertThat(message.getHeader("X-Stackpilot-Notification-Id"))
        .containsExactly("team/email/0/n1");
    assertThat(message.getSentDate()).isEqualTo(Date.from(Fixtures.NOW));
    assertThat(((String) message.getContent()).replace("\r\n", "\n"))
        .isEqualTo(
            "\uD83D\uDCCA Cluster: homelab\n\u26A0\uFE0F Severity: critical\n\n"
                + "\uD83D\uDD17 View alerts: https://console.example.org/alerts"
                // SMTP's DATA ends with a line break before the final "."
                + "\n");
  }

  @Test
  void authenticatesWithThePasswordFromTheSecret() {
    SendOutcome outcome =
        channel(
                "  auth_username: alerts@example.org\n"
                    + "  auth_password: {secretRef: {name: smtp, key: password}}\n")
            .send(firing(alert("A", "warning")), "n");
    assertThat(outcome.delivered()).isTrue();
    assertThat(smtp.auths()).containsExactly("alerts@example.org:" + PASSWORD);
  }

  @Test
  void aTemporaryRefusalIsRetryableAndAPermanentOneIsNot() {
    smtp.reply("MAIL", "451 4.3.0 Mail server temporarily rejected message");
    SendOutcome temporary = channel("").send(firing(alert("A", "warning")), "n");
    smtp.reply("MAIL", "550 5.7.1 Sender rejected");
    SendOutcome permanent = channel("").send(firing(alert("A", "warning")), "n");

    assertThat(temporary.delivered()).isFalse();
    assertThat(temporary.retryable()).isTrue();
    assertThat(temporary.status()).isEqualTo(451);
    assertThat(permanent.retryable()).isFalse();
    assertThat(permanent.status()).isEqualTo(550);
    assertThat(permanent.detail()).contains("Sender rejected");
  }

  @Test
  void aRejectedAuthIsARefusalThatNeverShowsThePassword() {
    smtp.reply("AUTH", "535 5.7.8 Authentication credentials invalid");
    SendOutcome outcome =
        channel(
                "  auth_username: alerts@example.org\n"
                    + "  auth_password: {secretRef: {name: smtp, key: password}}\n")
            .send(firing(alert("A", "warning")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.retryable()).isFalse();
    assertThat(outcome.detail()).doesNotContain(PASSWORD);
  }

  @Test
  void requireTlsRefusesAServerWithoutStartTls() {
    SendOutcome outcome =
        Fixtures.only(
                "email_configs:\n- to: a@example.org\n  from: b@example.org\n  smarthost: 127.0.0.1:"
                    + smtp.port()
                    + "\n",
                SECRETS)
            .send(firing(alert("A", "warning")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.detail()).containsIgnoringCase("STARTTLS");
    assertThat(smtp.mails()).isEmpty();
  }

  @Test
  void noServerIsARetryableConnectionFailure() {
    int port = smtp.port();
    smtp.close();
    SendOutcome outcome =
        Fixtures.only(
                "email_configs:\n- to: a@example.org\n  from: b@example.org\n  require_tls: false\n  smarthost: 127.0.0.1:"
                    + port
                    + "\n",
                SECRETS)
            .send(firing(alert("A", "warning")), "n");
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.retryable()).isTrue();
    assertThat(outcome.status()).isNull();
  }
}
