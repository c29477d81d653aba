package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Slack incoming webhook: {@code {text, blocks: [header, section]}} with the title and message.
 * The webhook URL is itself the credential, so it only comes from a secret or file and is never
 * shown.
 */
final class SlackChannel extends BaseChannel {

  static final String KEY = "slack_configs";

  /** Block Kit limits: a header's plain text, a section's text. */
  static final int MAX_HEADER = 150;

  static final int MAX_SECTION = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "send_resolved",
          "api_url",
          "api_url_file",
          "channel",
          "username",
          "icon_emoji",
          "title",
          "message",
          "timeout");

  /** The entry as configured. */
  record Config(
      boolean sendResolved,
      Credential apiUrl,
      String channel,
      String username,
      String iconEmoji,
      MessageTemplate title,
      MessageTemplate message,
      Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    return new Config(
        c.bool("send_resolved", true),
        c.credential("api_url", "api_url_file", true),
        c.string("channel", null),
        c.string("username", null),
        c.string("icon_emoji", null),
        c.template("title", DefaultTemplates.TITLE),
        c.template("message", DefaultTemplates.MESSAGE),
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final HttpClient http;
  private final Duration timeout;

  SlackChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      HttpClient http,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.SLACK, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.http = http;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  /** The JSON document Slack is sent. */
  static Map<String, Object> payload(Config config, Map<String, Object> root) {
    String title = config.title().render(root).replaceAll("[\\r\\n]+", " ").strip();
    String message = config.message().render(root).strip();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", title.isEmpty() ? truncate(message, MAX_SECTION) : title);
    List<Map<String, Object>> blocks = new ArrayList<>();
    if (!title.isEmpty()) {
      blocks.add(
          Map.of(
              "type",
              "header",
              "text",
              Map.of("type", "plain_text", "text", truncate(title, MAX_HEADER), "emoji", true)));
    }
    if (!message.isEmpty()) {
      blocks.add(
          Map.of(
              "type",
              "section",
              "text",
              Map.of("type", "mrkdwn", "text", truncate(message, MAX_SECTION))));
    }
    payload.put("blocks", blocks);
    if (config.channel() != null) {
      payload.put("channel", config.channel());
    }
    if (config.username() != null) {
      payload.put("username", config.username());
    }
    if (config.iconEmoji() != null) {
      payload.put("icon_emoji", config.iconEmoji());
    }
    return payload;
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    String url = config.apiUrl().resolve(secrets).strip();
    // the path is the token: masked alone too, in case something prints it without the host
    redactor.secretUrl(url);
    URI uri = URI.create(url);
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload(config, data.root()));
    } catch (JsonProcessingException e) {
      return SendOutcome.failed(false, null, "payload not serializable: " + e.getOriginalMessage());
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "stackpilot-notifier")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HttpAttempt.send(
        http,
        request,
        timeout,
        redactor,
        response -> SendOutcome.delivered(response.statusCode(), null));
  }
}
