package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Set;

/**
 * A generic webhook: Alertmanager's version-4 JSON payload, the notification id as {@code
 * Idempotency-Key}, an optional bearer token. A URL read from a secret or file is never shown.
 */
final class WebhookChannel extends BaseChannel {

  static final String KEY = "webhook_configs";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "send_resolved",
          "url",
          "url_file",
          "max_alerts",
          "bearer_token",
          "bearer_token_file",
          "timeout");

  /** The entry as configured: an inline URL, or the credential holding it. */
  record Config(
      boolean sendResolved,
      URI url,
      Credential urlSecret,
      int maxAlerts,
      Credential bearerToken,
      Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    URI url = null;
    Credential urlSecret = null;
    if (c.has("url") && !c.isMapping("url")) {
      if (c.has("url_file")) {
        c.violation("url", "set either url or url_file, not both");
      } else {
        url = c.url("url", null);
      }
    } else {
      urlSecret = c.credential("url", "url_file", true);
    }
    return new Config(
        c.bool("send_resolved", true),
        url,
        urlSecret,
        c.integer("max_alerts", 0, 0, Integer.MAX_VALUE),
        c.credential("bearer_token", "bearer_token_file", false),
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final HttpClient http;
  private final Duration timeout;

  WebhookChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      HttpClient http,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.WEBHOOK, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.http = http;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    URI url = config.url();
    if (url == null) {
      String secretUrl = config.urlSecret().resolve(secrets).strip();
      redactor.secretUrl(secretUrl);
      url = URI.create(secretUrl);
    }
    byte[] body;
    try {
      body =
          JSON.writeValueAsBytes(
              AlertmanagerWebhookPayload.of(
                  data.notification(), config.maxAlerts(), data.externalUrl()));
    } catch (JsonProcessingException e) {
      return SendOutcome.failed(false, null, "payload not serializable: " + e.getOriginalMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "stackpilot-notifier")
            .header("Idempotency-Key", notificationId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (config.bearerToken() != null) {
      String token = config.bearerToken().resolve(secrets);
      redactor.secret(token);
      request.header("Authorization", "Bearer " + token);
    }
    return HttpAttempt.send(
        http,
        request.build(),
        timeout,
        redactor,
        response -> SendOutcome.delivered(response.statusCode(), null));
  }
}
