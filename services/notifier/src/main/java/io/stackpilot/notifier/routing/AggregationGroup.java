package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The alerts of one route that share group labels, and when the group is next flushed. */
final class AggregationGroup {

  private final Route route;
  private final Map<String, String> labels;
  private final String key;
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  // fingerprint@startsAt of every alert occurrence the group has had (escalate_after counts them)
  private final Set<String> occurrences = new HashSet<>();
  private boolean flushed;
  private Instant nextFlushAt;

  AggregationGroup(Route route, Map<String, String> labels, Instant createdAt) {
    this.route = route;
    this.labels = Map.copyOf(labels);
    this.key = route.groupKey(labels);
    this.nextFlushAt = createdAt.plus(route.groupWait());
  }

  /**
   * Adds or replaces an alert. As in Alertmanager, a group not yet flushed flushes at once when the
   * alert started longer than group_wait ago: waiting would only delay old news.
   */
  void insert(Alert alert, Instant now) {
    alerts.put(alert.fingerprint(), alert);
    // a firing occurrence: a resolved alert fed again (a rebuild, a reload) is no new failure
    if (occurrences.size() < route.escalateAfter() && !alert.resolvedAt(now)) {
      occurrences.add(alert.fingerprint() + "@" + alert.startsAt().toEpochMilli());
    }
    if (!flushed && alert.startsAt().plus(route.groupWait()).isBefore(now)) {
      nextFlushAt = now;
    }
  }

  /** Marks a flush at this instant: the next one is a group_interval later. */
  List<Alert> startFlush(Instant now) {
    flushed = true;
    nextFlushAt = now.plus(route.groupInterval());
    return List.copyOf(alerts.values());
  }

  /**
   * Puts back an alert a failed notification was about, unless the group has a newer state of it,
   * and flushes the group again at {@code at} (a retry), not at once nor a group_interval later.
   */
  void retryAt(Alert alert, Instant at) {
    if (alert != null) {
      alerts.putIfAbsent(alert.fingerprint(), alert);
    }
    flushed = true;
    nextFlushAt = at;
  }

  /** Removes alerts that were resolved when flushed, unless they changed since. */
  void removeResolved(List<Alert> flushedAlerts, Instant now) {
    for (Alert a : flushedAlerts) {
      if (a.resolvedAt(now)) {
        alerts.remove(a.fingerprint(), a);
      }
    }
  }

  /**
   * Whether the group has had its route's escalate_after occurrences: an alert firing again (a new
   * start) counts again, an update of the same firing does not.
   */
  boolean escalated() {
    return occurrences.size() >= route.escalateAfter();
  }

  /** The fingerprints of the alerts the group holds. */
  Set<String> fingerprints() {
    return alerts.keySet();
  }

  boolean contains(String fingerprint) {
    return alerts.containsKey(fingerprint);
  }

  boolean isEmpty() {
    return alerts.isEmpty();
  }

  Route route() {
    return route;
  }

  Map<String, String> labels() {
    return labels;
  }

  String key() {
    return key;
  }

  Instant nextFlushAt() {
    return nextFlushAt;
  }
}
