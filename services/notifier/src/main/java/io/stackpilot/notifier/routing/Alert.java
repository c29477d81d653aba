package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert as routing sees it: labels, when it started, and when it ends (null while firing with no
 * end known). It is resolved once its end has passed.
 */
public record Alert(Map<String, String> labels, Instant startsAt, Instant endsAt) {

  public Alert {
    labels = Map.copyOf(labels);
  }

  public static Alert firing(Map<String, String> labels, Instant startsAt) {
    return new Alert(labels, startsAt, null);
  }

  public Alert resolved(Instant at) {
    return new Alert(labels, startsAt, at);
  }

  public boolean resolvedAt(Instant now) {
    return endsAt != null && !endsAt.isAfter(now);
  }

  /** Identity of the alert: its label set (Alertmanager hashes the same thing). */
  public String fingerprint() {
    return new TreeMap<>(labels).toString();
  }
}
