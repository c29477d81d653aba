package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.routing.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Forwards the alerts to another Alertmanager through its API v2 ({@code POST /api/v2/alerts}, a
 * JSON array of postable alerts). A resolved alert carries its {@code endsAt}; a firing one has
 * none, so that Alertmanager applies its {@code resolve_timeout}.
 */
final class AlertmanagerChannel extends BaseChannel {

  static final String KEY = "alertmanager_configs";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("send_resolved", "url", "bearer_token", "bearer_token_file", "timeout");

  /** The entry as configured. */
  record Config(boolean sendResolved, URI url, Credential bearerToken, Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    URI url = null;
    if (c.has("url")) {
      url = c.url("url", null);
    } else {
      c.violation("url", "missing: the Alertmanager's base URL, e.g. http://alertmanager:9093");
    }
    return new Config(
        c.bool("send_resolved", true),
        url,
        c.credential("bearer_token", "bearer_token_file", false),
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final HttpClient http;
  private final Duration timeout;

  AlertmanagerChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      HttpClient http,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.ALERTMANAGER, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.http = http;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  /** The postable alerts of a notification. */
  static List<Map<String, Object>> alerts(TemplateData data) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Alert a : data.alerts()) {
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("labels", new TreeMap<>(a.labels()));
      alert.put("annotations", new TreeMap<>(a.annotations()));
      alert.put("startsAt", TemplateData.time(a.startsAt()));
      if (data.status(a).equals("resolved") && a.endsAt() != null) {
        alert.put("endsAt", TemplateData.time(a.endsAt()));
      }
      out.add(alert);
    }
    return out;
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    String base = config.url().toString();
    URI uri = URI.create((base.endsWith("/") ? base : base + "/") + "api/v2/alerts");
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(alerts(data));
    } catch (JsonProcessingException e) {
      return SendOutcome.failed(false, null, "payload not serializable: " + e.getOriginalMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "stackpilot-notifier")
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
