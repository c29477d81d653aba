package io.stackpilot.notifier.channel;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Email over SMTP (Jakarta Mail): subject is the title, body the message as plain text. SMTP's own
 * split decides retries: a 4xx reply or no connection is retryable, a 5xx reply is a refusal.
 */
final class EmailChannel extends BaseChannel {

  static final String KEY = "email_configs";
  private static final Set<String> FIELDS =
      Set.of(
          "send_resolved",
          "to",
          "from",
          "smarthost",
          "hello",
          "auth_username",
          "auth_password",
          "auth_password_file",
          "require_tls",
          "title",
          "message",
          "timeout");

  /** The entry as configured. */
  record Config(
      boolean sendResolved,
      List<InternetAddress> to,
      InternetAddress from,
      String host,
      int port,
      String hello,
      String authUsername,
      Credential authPassword,
      boolean requireTls,
      MessageTemplate title,
      MessageTemplate message,
      Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    List<InternetAddress> to = List.of();
    String toText = c.required("to");
    if (toText != null) {
      try {
        to = List.of(InternetAddress.parse(toText, true));
      } catch (AddressException e) {
        c.violation("to", "not an email address list: " + e.getMessage());
      }
    }
    InternetAddress from = null;
    String fromText = c.required("from");
    if (fromText != null) {
      try {
        from = new InternetAddress(fromText, true);
      } catch (AddressException e) {
        c.violation("from", "not an email address: " + e.getMessage());
      }
    }
    String host = null;
    int port = 0;
    String smarthost = c.required("smarthost");
    if (smarthost != null) {
      int colon = smarthost.lastIndexOf(':');
      String p = colon < 0 ? "" : smarthost.substring(colon + 1);
      if (colon <= 0 || !p.matches("\\d{1,5}") || Integer.parseInt(p) > 65535) {
        c.violation("smarthost", "must be host:port, e.g. smtp.example.org:587");
      } else {
        host = smarthost.substring(0, colon).replaceAll("^\\[|]$", "");
        port = Integer.parseInt(p);
      }
    }
    String username = c.string("auth_username", null);
    Credential password = c.credential("auth_password", "auth_password_file", false);
    if (password != null && username == null) {
      c.violation("auth_username", "missing: auth_password needs a user name");
    }
    return new Config(
        c.bool("send_resolved", true),
        to,
        from,
        host,
        port,
        c.string("hello", "localhost"),
        username,
        password,
        c.bool("require_tls", true),
        c.template("title", DefaultTemplates.TITLE),
        c.template("message", DefaultTemplates.MESSAGE),
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final Clock clock;
  private final Duration timeout;

  EmailChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      Clock clock,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.EMAIL, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.clock = clock;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    String password = null;
    if (config.authPassword() != null) {
      password = config.authPassword().resolve(secrets);
      redactor.secret(password);
    }
    Properties props = new Properties();
    String ms = String.valueOf(timeout.toMillis());
    props.put("mail.smtp.host", config.host());
    props.put("mail.smtp.port", String.valueOf(config.port()));
    props.put("mail.smtp.localhost", config.hello());
    props.put("mail.smtp.connectiontimeout", ms);
    props.put("mail.smtp.timeout", ms);
    props.put("mail.smtp.writetimeout", ms);
    props.put("mail.smtp.auth", String.valueOf(password != null));
    if (config.port() == 465) {
      // as Alertmanager: port 465 speaks TLS from the first byte (no STARTTLS); not covered by a
      // test here, the SMTP test double speaks plain text only
      props.put("mail.smtp.ssl.enable", "true");
    } else {
      // as Alertmanager: STARTTLS only when required, and then it must be offered
      props.put("mail.smtp.starttls.enable", String.valueOf(config.requireTls()));
      props.put("mail.smtp.starttls.required", String.valueOf(config.requireTls()));
    }
    Session session = Session.getInstance(props);
    Map<String, Object> root = data.root();
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(config.from());
      message.setRecipients(MimeMessage.RecipientType.TO, config.to().toArray(new Address[0]));
      message.setSubject(
          config.title().render(root).replaceAll("[\\r\\n]+", " ").strip(),
          StandardCharsets.UTF_8.name());
      message.setText(config.message().render(root), StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      // the same id on every attempt lets a mail client fold duplicates of a retried send
      message.setHeader("X-Stackpilot-Notification-Id", notificationId);
      message.saveChanges();
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(config.host(), config.port(), config.authUsername(), password);
        transport.sendMessage(message, message.getAllRecipients());
      }
      return SendOutcome.delivered(250, null);
    } catch (MessagingException e) {
      return failure(e, redactor);
    }
  }

  private SendOutcome failure(MessagingException e, Redactor redactor) {
    Integer code = replyCode(e);
    boolean retryable;
    if (code != null) {
      retryable = code >= 400 && code < 500;
    } else if (e instanceof AuthenticationFailedException) {
      retryable = false;
    } else {
      // no SMTP reply: no connection, a timeout, or STARTTLS required but not offered
      retryable = e instanceof MailConnectException || e.getCause() instanceof java.io.IOException;
    }
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return SendOutcome.failed(
        retryable,
        code,
        redactor.redact(
            "SMTP " + (code == null ? "" : code + " ") + what.strip().replaceAll("\\s+", " ")));
  }

  /** The SMTP reply code of the first refusal, when the server gave one. */
  private static Integer replyCode(MessagingException e) {
    for (Exception cur = e; cur != null; ) {
      if (cur instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
        return s.getReturnCode();
      }
      if (cur instanceof SMTPAddressFailedException a && a.getReturnCode() > 0) {
        return a.getReturnCode();
      }
      if (cur instanceof SendFailedException || cur instanceof MessagingException) {
        cur = ((MessagingException) cur).getNextException();
      } else {
        cur = null;
      }
    }
    return null;
  }
}
