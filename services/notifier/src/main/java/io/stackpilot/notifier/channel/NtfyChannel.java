package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * ntfy's publish API: {@code POST <server>/<topic>} with the message as body and the rest as
 * headers (Title, Priority 1-5, Tags, Click, Actions in ntfy's action-button syntax, {@code
 * Authorization: Bearer}). Non-ASCII header values are sent RFC 2047 encoded, which ntfy decodes
 * (HTTP headers cannot carry the default title's emoji as such).
 */
final class NtfyChannel extends BaseChannel {

  static final String KEY = "ntfy_configs";
  static final Map<String, Integer> DEFAULT_PRIORITIES =
      Map.of("critical", 5, "warning", 4, "info", 2);
  static final List<String> DEFAULT_TAGS =
      List.of("{{ .CommonLabels.severity }}", "{{ .CommonLabels.cluster }}");

  private static final Set<String> FIELDS =
      Set.of(
          "send_resolved",
          "url",
          "token",
          "token_file",
          "title",
          "message",
          "priority",
          "priorities",
          "tags",
          "click",
          "actions",
          "timeout");
  private static final Set<String> ACTION_FIELDS =
      Set.of("action", "label", "url", "clear", "method", "body");

  /** One action button. */
  record Action(
      String action,
      MessageTemplate label,
      MessageTemplate url,
      boolean clear,
      String method,
      MessageTemplate body) {}

  /** The entry as configured. */
  record Config(
      boolean sendResolved,
      URI url,
      Credential token,
      MessageTemplate title,
      MessageTemplate message,
      Integer priority,
      Map<String, Integer> priorities,
      List<MessageTemplate> tags,
      MessageTemplate click,
      List<Action> actions,
      Duration timeout) {}

  static Config parse(ChannelConfig c) {
    c.allow(FIELDS);
    URI url = c.has("url") ? c.url("url", null) : null;
    if (!c.has("url")) {
      c.violation("url", "missing: the topic URL, e.g. https://ntfy.sh/alerts");
    } else if (url != null && (url.getPath() == null || url.getPath().length() < 2)) {
      c.violation("url", "must name a topic, e.g. https://ntfy.sh/alerts");
    }
    List<MessageTemplate> tags = new ArrayList<>();
    List<String> tagSources = c.strings("tags", DEFAULT_TAGS);
    for (int i = 0; i < tagSources.size(); i++) {
      try {
        tags.add(MessageTemplate.parse(tagSources.get(i)));
      } catch (IllegalArgumentException e) {
        c.violation("tags[" + i + "]", "bad template: " + e.getMessage());
      }
    }
    List<Action> actions = new ArrayList<>();
    List<ChannelConfig> actionConfigs = c.list("actions");
    if (actionConfigs.size() > 3) {
      c.violation("actions", "ntfy shows at most 3 actions");
    }
    for (ChannelConfig a : actionConfigs) {
      a.allow(ACTION_FIELDS);
      String kind = a.string("action", "view");
      if (!kind.equals("view") && !kind.equals("http")) {
        a.violation("action", "must be view or http");
      }
      String method = a.string("method", null);
      if (method != null && !kind.equals("http")) {
        a.violation("method", "only for an http action");
      }
      if (a.required("label") == null || a.required("url") == null) {
        continue;
      }
      actions.add(
          new Action(
              kind,
              a.template("label", null),
              a.template("url", null),
              a.bool("clear", false),
              method,
              a.has("body") ? a.template("body", null) : null));
    }
    return new Config(
        c.bool("send_resolved", true),
        url,
        c.credential("token", "token_file", false),
        c.template("title", DefaultTemplates.TITLE),
        c.template("message", DefaultTemplates.MESSAGE),
        c.integer("priority", null, 1, 5),
        c.priorities("priorities", DEFAULT_PRIORITIES, 1, 5),
        tags,
        c.template("click", "{{ .ExternalURL }}"),
        actions,
        c.duration("timeout", null));
  }

  private final Config config;
  private final SecretSource secrets;
  private final HttpClient http;
  private final Duration timeout;

  NtfyChannel(
      String receiver,
      String id,
      Config config,
      SecretSource secrets,
      HttpClient http,
      ChannelDefaults defaults) {
    super(receiver, id, io.stackpilot.events.Channel.NTFY, config.sendResolved(), defaults);
    this.config = config;
    this.secrets = secrets;
    this.http = http;
    this.timeout = config.timeout() != null ? config.timeout() : defaults.timeout();
  }

  @Override
  SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor) {
    Map<String, Object> root = data.root();
    int priority =
        config.priority() != null
            ? config.priority()
            : priority(data.notification(), config.priorities(), 3, 3);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(timeout)
            .header("User-Agent", "stackpilot-notifier")
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Priority", String.valueOf(priority));
    String title = config.title().render(root).replaceAll("[\\r\\n]+", " ").strip();
    if (!title.isEmpty()) {
      request.header("Title", headerValue(title));
    }
    StringJoiner tags = new StringJoiner(",");
    for (MessageTemplate t : config.tags()) {
      String tag = t.render(root).replace(",", " ").strip();
      if (!tag.isEmpty()) {
        tags.add(tag);
      }
    }
    if (tags.length() > 0) {
      request.header("Tags", headerValue(tags.toString()));
    }
    String click = config.click().render(root).strip();
    if (!click.isEmpty()) {
      request.header("Click", headerValue(click));
    }
    if (!config.actions().isEmpty()) {
      request.header("Actions", headerValue(actionsHeader(config.actions(), root)));
    }
    if (config.token() != null) {
      String token = config.token().resolve(secrets);
      redactor.secret(token);
      request.header("Authorization", "Bearer " + token);
    }
    String message = config.message().render(root);
    request.POST(
        HttpRequest.BodyPublishers.ofString(
            message.isBlank() ? data.status() : message, StandardCharsets.UTF_8));
    return HttpAttempt.send(
        http,
        request.build(),
        timeout,
        redactor,
        response -> {
          JsonNode body = PushoverChannel.readJson(response.body());
          return new SendOutcome(
              true,
              false,
              response.statusCode(),
              "delivered, message " + body.path("id").asText(""),
              null);
        });
  }

  /**
   * ntfy's simple action syntax: {@code <action>, <label>, <url>[, method=…][, body=…][,
   * clear=true]}, actions separated by {@code ;}; a value with {@code ,} {@code ;} or quotes is
   * quoted.
   */
  static String actionsHeader(List<Action> actions, Map<String, Object> root) {
    StringJoiner all = new StringJoiner("; ");
    for (Action a : actions) {
      StringJoiner one = new StringJoiner(", ");
      one.add(a.action());
      one.add(quote(a.label().render(root)));
      one.add(quote(a.url().render(root)));
      if (a.method() != null) {
        one.add("method=" + quote(a.method()));
      }
      if (a.body() != null) {
        one.add("body=" + quote(a.body().render(root)));
      }
      if (a.clear()) {
        one.add("clear=true");
      }
      all.add(one.toString());
    }
    return all.toString();
  }

  private static String quote(String value) {
    String v = value.replaceAll("[\\r\\n]+", " ");
    if (!v.matches(".*[,;\"'=].*") && v.equals(v.strip())) {
      return v;
    }
    return v.contains("'") ? "\"" + v.replace("\"", "'") + "\"" : "'" + v + "'";
  }

  /** Printable ASCII as is; anything else as an RFC 2047 encoded word, which ntfy decodes. */
  static String headerValue(String value) {
    boolean ascii = value.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f);
    if (ascii) {
      return value;
    }
    return "=?UTF-8?B?"
        + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }
}
