package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.Receiver;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Notifications, receivers and clients the channel tests share. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-21T10:05:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ChannelDefaults DEFAULTS =
      new ChannelDefaults(Duration.ofSeconds(5), "https://console.example.org/alerts");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Fixtures() {}

  static Alert alert(String alertname, String severity) {
    return Alert.firing(
        Map.of("alertname", alertname, "cluster", "homelab", "severity", severity), T0);
  }

  static Notification firing(Alert... alerts) {
    return new Notification(
        "team",
        "{}:{alertname=\"HighCpu\"}",
        Map.of("alertname", "HighCpu"),
        List.of(alerts),
        List.of(),
        NOW);
  }

  static Notification resolved(Alert... alerts) {
    List<Alert> done = java.util.Arrays.stream(alerts).map(a -> a.resolved(NOW)).toList();
    return new Notification(
        "team", "{}:{alertname=\"HighCpu\"}", Map.of("alertname", "HighCpu"), List.of(), done, NOW);
  }

  /** A receiver from the YAML of its settings (as the routing loader reads it). */
  static Receiver receiver(String yaml) {
    Map<String, Object> settings = YAML.convertValue(read(yaml), new TypeReference<>() {});
    return new Receiver("team", settings);
  }

  private static Object read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Channel only(String yaml, SecretSource secrets) {
    List<Channel> channels =
        Channels.forReceiver(receiver(yaml), "receivers[0]", secrets, HTTP, CLOCK, DEFAULTS);
    if (channels.size() != 1) {
      throw new AssertionError("expected one channel, got " + channels);
    }
    return channels.get(0);
  }
}
