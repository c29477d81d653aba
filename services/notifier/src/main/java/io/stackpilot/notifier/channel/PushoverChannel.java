package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Pushover's message API ({@code POST /1/messages.json}, form-encoded), with its limits: title 250
 * characters, message 1024, url 512, url title 100; priority -2..2 from the alerts' severity; an
 * emergency (2) message carries retry and expire and gives back a receipt.
 */
final class PushoverChannel extends BaseChannel {

  static final String KEY = "pushover_configs";
  static final URI DEFAULT_API = URI.create("https://api.pushover.net/1/");
  static final int MAX_TITLE = 250;
  static final int MAX_MESSAGE = 1024;
  static final int MAX_URL = 512;
  static final int MAX_URL_TITLE = 100;
  static final Duration MIN_RETRY = Duration.ofSeconds(30);
  static final Duration MAX_EXPIRE = Duration.ofSeconds(10800);
  static final Map<String, Integer> DEFAULT_PRIORITIES =
      Map.of("critical", 1, "warning", 0, "info", -1);

  private static final Set<String> FIELDS =
      Set.of(
          "send_resolved",
          "user_key",
          "user_key_file",
          "token",
          "token_file",
          "title",
          "message",
          "url",
          "url_title",
          "device",
          "sound",
          "html",
          "priority",
          "priorities",
          "retry",
          "expire",
          "api_url",
          "timeout");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The entry as configured. */
  record Config(
      boolean sendResolved,
      Credential userKey,
      Credential token,
      MessageTemplate title,
      MessageTemplate message,
      MessageTemplate url,
      MessageTemplate urlTitle,
      String device,
      String sound,
      boolean html,
      Integer priority,
      Map<String, Integer> priorities,
      Duration retry,
      Duration expire,
      URI apiUrl,
      Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    Integer priority = c.integer("priority", null, -2, 2);
    Map<String, Integer> priorities = c.priorities("priorities", DEFAULT_PRIORITIES, -2, 2);
    Duration retry = c.duration("retry", Duration.ofMinutes(1));
    Duration expire = c.duration("expire", Duration.ofHours(1));
    boolean emergency =
        (priority != null && priority == 2) || (priority == null && priorities.containsValue(2));
    if (emergency && retry.compareTo(MIN_RETRY) < 0) {
      c.violation("retry", "must be at least 30s for emergency priority 2");
    }
    if (emergency && (expire.compareTo(MAX_EXPIRE) > 0 || expire.isZero())) {
      c.violation("expire", "must be between 1s and 10800s (3h) for emergency priority 2");
    }
    return new Config(
        c.bool("send_resolved", true),
        c.credential("user_key", "user_key_file", true),
        c.credential("token", "token_file", true),
        c.template("title", DefaultTemplates.TITLE),
        c.template("message", DefaultTemplates.MESSAGE),
        c.template("url", "{{ .ExternalURL }}"),
        c.template("url_title", ""),
        c.string("device", null),
        c.string("sound", null),
        c.bool("html", false),
        priority,
        priorities,
        retry,
        expire,
        c.url("api_url", DEFAULT_API.toString()),
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final HttpClient http;
  private final Duration timeout;

  PushoverChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      HttpClient http,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.PUSHOVER, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.http = http;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  /** Follows this channel's emergency receipts with the same application token. */
  PushoverReceipts receipts() {
    return new PushoverReceipts(http, apiBase(), config.token(), secrets, timeout);
  }

  private URI apiBase() {
    String base = config.apiUrl().toString();
    return URI.create(base.endsWith("/") ? base : base + "/");
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    String token = config.token().resolve(secrets);
    redactor.secret(token);
    String user = config.userKey().resolve(secrets);
    redactor.secret(user);
    Map<String, Object> root = data.root();
    int priority =
        config.priority() != null
            ? config.priority()
            : priority(data.notification(), config.priorities(), 0, 0);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("user", user);
    form.put("title", truncate(config.title().render(root), MAX_TITLE));
    String message = config.message().render(root);
    form.put("message", truncate(message.isBlank() ? data.status() : message, MAX_MESSAGE));
    form.put("priority", String.valueOf(priority));
    if (priority == 2) {
      form.put("retry", String.valueOf(config.retry().toSeconds()));
      form.put("expire", String.valueOf(config.expire().toSeconds()));
    }
    String url = config.url().render(root);
    if (!url.isBlank()) {
      form.put("url", truncate(url, MAX_URL));
      String urlTitle = config.urlTitle().render(root);
      if (!urlTitle.isBlank()) {
        form.put("url_title", truncate(urlTitle, MAX_URL_TITLE));
      }
    }
    if (config.html()) {
      form.put("html", "1");
    }
    if (config.sound() != null) {
      form.put("sound", config.sound());
    }
    if (config.device() != null) {
      form.put("device", config.device());
    }
    form.put("timestamp", String.valueOf(data.notification().at().getEpochSecond()));
    HttpRequest request =
        HttpRequest.newBuilder(apiBase().resolve("messages.json"))
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("User-Agent", "stackpilot-notifier")
            .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
            .build();
    return HttpAttempt.send(
        http,
        request,
        timeout,
        redactor,
        response -> {
          JsonNode body = readJson(response.body());
          if (body.path("status").asInt(0) != 1) {
            return SendOutcome.failed(
                false,
                response.statusCode(),
                "Pushover answered status "
                    + body.path("status").asText("?")
                    + ": "
                    + body.path("errors").toString());
          }
          String receipt = body.hasNonNull("receipt") ? body.get("receipt").asText() : null;
          return new SendOutcome(
              true,
              false,
              response.statusCode(),
              "delivered, request " + body.path("request").asText(""),
              receipt);
        });
  }

  static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body == null ? "" : body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }

  static String formEncode(Map<String, String> form) {
    StringJoiner out = new StringJoiner("&");
    form.forEach(
        (k, v) ->
            out.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }
}
