package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert as routing sees it: labels, when it started, and when it ends (null while firing with no
 * end known). It is resolved once its end has passed. Annotations (summary, description,
 * runbook_url, ...) travel with it to the templates and payloads; they are not part of its identity
 * (the fingerprint is the labels').
 */
public record Alert(
    Map<String, String> labels, Instant startsAt, Instant endsAt, Map<String, String> annotations) {

  public Alert {
    labels = Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Alert(Map<String, String> labels, Instant startsAt, Instant endsAt) {
    this(labels, startsAt, endsAt, Map.of());
  }

  public static Alert firing(Map<String, String> labels, Instant startsAt) {
    return new Alert(labels, startsAt, null);
  }

  public Alert resolved(Instant at) {
    return new Alert(labels, startsAt, at, annotations);
  }

  /** The same alert with these annotations. */
  public Alert annotated(Map<String, String> with) {
    return new Alert(labels, startsAt, endsAt, with);
  }

  public boolean resolvedAt(Instant now) {
    return endsAt != null && !endsAt.isAfter(now);
  }

  /** Identity of the alert: its label set (Alertmanager hashes the same thing). */
  public String fingerprint() {
    return new TreeMap<>(labels).toString();
  }
}
