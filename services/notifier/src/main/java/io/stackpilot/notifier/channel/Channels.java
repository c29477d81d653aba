package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import io.stackpilot.notifier.routing.Receiver;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a receiver's channels from its settings ({@code pushover_configs}, {@code ntfy_configs},
 * {@code webhook_configs}, {@code slack_configs}, {@code alertmanager_configs}, {@code
 * email_configs}; keys in CHANNELS.md). Everything wrong is reported at once as {@code path:
 * message}, the routing loader's convention, e.g. {@code receivers[2].pushover_configs[0].priority:
 * must be between -2 and 2}.
 */
public final class Channels {

  /** Alertmanager integrations this notifier does not speak (refused by name, not as unknown). */
  private static final Set<String> UNSUPPORTED =
      Set.of(
          "opsgenie_configs",
          "pagerduty_configs",
          "victorops_configs",
          "wechat_configs",
          "sns_configs",
          "telegram_configs",
          "webex_configs",
          "discord_configs",
          "msteams_configs");

  private Channels() {}

  /** One parsed entry, ready to be bound to secrets and a client. */
  private record Entry(String key, int index, Object config, ChannelConfig source) {}

  /**
   * Checks a receiver's channel settings without reading any secret (for loading a config).
   *
   * @param path the receiver's path in the file, e.g. {@code receivers[2]}
   * @throws InvalidRoutingConfigException listing every violation with its field path
   */
  public static void validate(Receiver receiver, String path) {
    List<String> violations = new ArrayList<>();
    parse(receiver, path, violations);
    if (!violations.isEmpty()) {
      throw new InvalidRoutingConfigException(violations);
    }
  }

  /**
   * {@link #forReceiver(Receiver, String, SecretSource, HttpClient, Clock, ChannelDefaults)} with
   * {@link ChannelDefaults#standard()}.
   */
  public static List<Channel> forReceiver(
      Receiver receiver, String path, SecretSource secrets, HttpClient http, Clock clock) {
    return forReceiver(receiver, path, secrets, http, clock, ChannelDefaults.standard());
  }

  /**
   * The receiver's channels, ordered by settings key, then index. Every referenced secret must be
   * readable now; its value is read again on each send, so a rotated Secret is used without a
   * rebuild.
   *
   * @throws InvalidRoutingConfigException listing every violation (an unreadable secret is one,
   *     named by reference, never by value)
   */
  public static List<Channel> forReceiver(
      Receiver receiver,
      String path,
      SecretSource secrets,
      HttpClient http,
      Clock clock,
      ChannelDefaults defaults) {
    List<String> violations = new ArrayList<>();
    List<Entry> entries = parse(receiver, path, violations);
    for (Entry e : entries) {
      e.source()
          .credentials()
          .forEach(
              (field, credential) -> {
                if (credential.read(secrets).isEmpty()) {
                  violations.add(field + ": " + credential + " is not readable");
                }
              });
    }
    if (!violations.isEmpty()) {
      throw new InvalidRoutingConfigException(violations);
    }
    List<Channel> out = new ArrayList<>();
    for (Entry e : entries) {
      String id = e.key().substring(0, e.key().length() - "_configs".length()) + "/" + e.index();
      String name = receiver.name();
      switch (e.key()) {
        case PushoverChannel.KEY:
          out.add(
              new PushoverChannel(
                  name, id, (PushoverChannel.Config) e.config(), secrets, http, defaults));
          break;
        case NtfyChannel.KEY:
          out.add(
              new NtfyChannel(name, id, (NtfyChannel.Config) e.config(), secrets, http, defaults));
          break;
        case WebhookChannel.KEY:
          out.add(
              new WebhookChannel(
                  name, id, (WebhookChannel.Config) e.config(), secrets, http, defaults));
          break;
        case SlackChannel.KEY:
          out.add(
              new SlackChannel(
                  name, id, (SlackChannel.Config) e.config(), secrets, http, defaults));
          break;
        case AlertmanagerChannel.KEY:
          out.add(
              new AlertmanagerChannel(
                  name, id, (AlertmanagerChannel.Config) e.config(), secrets, http, defaults));
          break;
        case EmailChannel.KEY:
          out.add(
              new EmailChannel(
                  name, id, (EmailChannel.Config) e.config(), secrets, clock, defaults));
          break;
        default:
          throw new IllegalStateException("unhandled " + e.key());
      }
    }
    return List.copyOf(out);
  }

  private static List<Entry> parse(Receiver receiver, String path, List<String> violations) {
    List<Entry> out = new ArrayList<>();
    Map<String, Object> settings = receiver.settings();
    for (String key : new TreeSet<>(settings.keySet())) {
      if (UNSUPPORTED.contains(key)) {
        violations.add(path + "." + key + ": not supported by this notifier");
        continue;
      }
      if (!List.of(
              PushoverChannel.KEY,
              NtfyChannel.KEY,
              WebhookChannel.KEY,
              SlackChannel.KEY,
              AlertmanagerChannel.KEY,
              EmailChannel.KEY)
          .contains(key)) {
        violations.add(path + "." + key + ": unknown field");
        continue;
      }
      Object value = settings.get(key);
      if (value == null) {
        continue;
      }
      if (!(value instanceof List<?> list)) {
        violations.add(path + "." + key + ": expected a list");
        continue;
      }
      for (int i = 0; i < list.size(); i++) {
        ChannelConfig c =
            new ChannelConfig(list.get(i), path + "." + key + "[" + i + "]", violations);
        out.add(new Entry(key, i, parseOne(key, c), c));
      }
    }
    return out;
  }

  private static Object parseOne(String key, ChannelConfig c) {
    switch (key) {
      case PushoverChannel.KEY:
        return PushoverChannel.parse(c);
      case NtfyChannel.KEY:
        return NtfyChannel.parse(c);
      case WebhookChannel.KEY:
        return WebhookChannel.parse(c);
      case SlackChannel.KEY:
        return SlackChannel.parse(c);
      case AlertmanagerChannel.KEY:
        return AlertmanagerChannel.parse(c);
      case EmailChannel.KEY:
        return EmailChannel.parse(c);
      default:
        throw new IllegalStateException("unhandled " + key);
    }
  }
}
