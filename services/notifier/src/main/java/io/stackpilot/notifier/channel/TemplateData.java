package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A notification as templates and payloads see it, named as in Alertmanager's template data:
 * status, receiver, group key and labels, common labels and annotations, the alerts (firing first).
 */
final class TemplateData {

  /** Go's zero time as Alertmanager writes it: the {@code endsAt} of an alert still firing. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private final Notification notification;
  private final String externalUrl;
  private final List<Alert> alerts;
  private final Map<String, String> commonLabels;
  private final Map<String, String> commonAnnotations;

  TemplateData(Notification notification, String externalUrl) {
    this.notification = notification;
    this.externalUrl = externalUrl == null ? "" : externalUrl;
    List<Alert> all = new ArrayList<>(notification.firing());
    all.addAll(notification.resolved());
    this.alerts = List.copyOf(all);
    this.commonLabels = common(all.stream().map(Alert::labels).toList());
    this.commonAnnotations = common(all.stream().map(Alert::annotations).toList());
  }

  Notification notification() {
    return notification;
  }

  List<Alert> alerts() {
    return alerts;
  }

  /** {@code firing} while one alert fires, else {@code resolved}. */
  String status() {
    return notification.firing().isEmpty() ? "resolved" : "firing";
  }

  String externalUrl() {
    return externalUrl;
  }

  Map<String, String> commonLabels() {
    return commonLabels;
  }

  /** Annotations every alert has with the same value (Alertmanager's {@code CommonAnnotations}). */
  Map<String, String> commonAnnotations() {
    return commonAnnotations;
  }

  /** The alert's status within this notification. */
  String status(Alert alert) {
    return notification.resolved().contains(alert) ? "resolved" : "firing";
  }

  /** The data a {@link MessageTemplate} renders. */
  Map<String, Object> root() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("Status", status());
    root.put("Receiver", notification.receiver());
    root.put("GroupKey", notification.groupKey());
    root.put("GroupLabels", new TreeMap<>(notification.groupLabels()));
    root.put("CommonLabels", new TreeMap<>(commonLabels));
    root.put("CommonAnnotations", new TreeMap<>(commonAnnotations));
    root.put("ExternalURL", externalUrl);
    AlertList list = new AlertList();
    AlertList firing = new AlertList();
    AlertList resolved = new AlertList();
    for (Alert a : alerts) {
      Map<String, Object> m = alertData(a);
      list.add(m);
      (status(a).equals("firing") ? firing : resolved).add(m);
    }
    list.firing = firing;
    list.resolved = resolved;
    root.put("Alerts", list);
    return root;
  }

  private Map<String, Object> alertData(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Status", status(a));
    m.put("Labels", new TreeMap<>(a.labels()));
    m.put("Annotations", new TreeMap<>(a.annotations()));
    m.put("StartsAt", time(a.startsAt()));
    m.put("EndsAt", endsAt(a));
    m.put("GeneratorURL", "");
    m.put("Fingerprint", fingerprint(a.labels()));
    return m;
  }

  /** RFC 3339 end for a resolved alert, Go's zero time for one still firing (as Alertmanager). */
  String endsAt(Alert a) {
    return status(a).equals("resolved") && a.endsAt() != null ? time(a.endsAt()) : ZERO_TIME;
  }

  static String time(Instant t) {
    return t == null ? ZERO_TIME : RFC3339.format(t.atOffset(ZoneOffset.UTC));
  }

  /** Pairs every map has with the same value (Alertmanager's {@code CommonLabels}, ...). */
  private static Map<String, String> common(List<Map<String, String>> maps) {
    if (maps.isEmpty()) {
      return Map.of();
    }
    Map<String, String> common = new TreeMap<>(maps.get(0));
    for (Map<String, String> m : maps.subList(1, maps.size())) {
      common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    }
    return common;
  }

  /**
   * Prometheus' label-set fingerprint as Alertmanager prints it: FNV-1a 64 over the labels sorted
   * by name, each name and value followed by the byte 0xff, as 16 hex digits.
   */
  static String fingerprint(Map<String, String> labels) {
    long hash = 0xcbf29ce484222325L;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      hash = fnv(hash, e.getKey());
      hash = fnv(hash, e.getValue());
    }
    return HexFormat.of().toHexDigits(hash);
  }

  private static long fnv(long hash, String s) {
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    hash ^= 0xff;
    hash *= 0x100000001b3L;
    return hash;
  }

  /** {@code .Alerts}: a list to range over, with {@code .Firing} and {@code .Resolved}. */
  static final class AlertList extends ArrayList<Map<String, Object>> {
    private AlertList firing;
    private AlertList resolved;

    Object part(String name) {
      switch (name) {
        case "Firing":
          return firing;
        case "Resolved":
          return resolved;
        default:
          return null;
      }
    }
  }
}
