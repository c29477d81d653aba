package io.stackpilot.notifier.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Alertmanager's dispatcher and notification pipeline as a pure state machine over a clock: alerts
 * go into aggregation groups per (route, group labels); {@link #flushDue()} flushes the groups
 * whose time has come and returns the notifications to send. Inhibited and silenced alerts are left
 * out of a flush; nothing is sent while the route's mute time intervals are active or outside its
 * active time intervals, nor before a group has had its route's escalate_after alert occurrences. A
 * flush sends only when something changed since the group's last notification or repeat_interval
 * has passed (Alertmanager's notification log); resolved alerts leave the group once flushed. Not
 * thread-safe: one caller drives it.
 */
public final class Dispatcher {

  private final RoutingConfig config;
  private final Clock clock;
  private final Silences silences;
  private final Inhibitor inhibitor;
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, AggregationGroup> groups = new LinkedHashMap<>();
  private final Map<String, LogEntry> log = new HashMap<>();

  public Dispatcher(RoutingConfig config, Clock clock, Silences silences) {
    this.config = config;
    this.clock = clock;
    this.silences = silences;
    this.inhibitor = new Inhibitor(config.inhibitRules());
  }

  /** Takes in a new or updated alert (same labels: same alert); returns the routes it went to. */
  public List<Route> receive(Alert alert) {
    Instant now = clock.instant();
    alerts.put(alert.fingerprint(), alert);
    List<Route> routes = config.route().match(alert.labels());
    for (Route route : routes) {
      Map<String, String> groupLabels = route.groupLabels(alert.labels());
      // By route path, not route key: two siblings with equal matchers make two groups.
      String id = route.path() + "\u0000" + route.groupKey(alert.labels());
      groups
          .computeIfAbsent(id, k -> new AggregationGroup(route, groupLabels, now))
          .insert(alert, now);
    }
    return routes;
  }

  /** When the earliest group is due, if any group exists. */
  public Optional<Instant> nextFlushAt() {
    return groups.values().stream()
        .map(AggregationGroup::nextFlushAt)
        .min(Comparator.naturalOrder());
  }

  /** Flushes every group due at the clock's instant, earliest first. */
  public List<Notification> flushDue() {
    Instant now = clock.instant();
    List<Map.Entry<String, AggregationGroup>> due =
        groups.entrySet().stream()
            .filter(e -> !e.getValue().nextFlushAt().isAfter(now))
            .sorted(Comparator.comparing(e -> e.getValue().nextFlushAt()))
            .toList();
    List<Notification> out = new ArrayList<>();
    for (Map.Entry<String, AggregationGroup> e : due) {
      flush(e.getValue(), now).ifPresent(out::add);
      if (e.getValue().isEmpty()) {
        groups.remove(e.getKey());
      }
    }
    alerts.values().removeIf(a -> a.resolvedAt(now) && !inAnyGroup(a.fingerprint()));
    return out;
  }

  /**
   * Sets (or, with a null {@code at}, forgets) what was last sent to a receiver for a group: the
   * notification log kept outside, restored after a restart or taken back when a send failed.
   */
  public void restoreLog(
      String receiver, String groupKey, Set<String> firing, Set<String> resolved, Instant at) {
    String logKey = receiver + "\u0000" + groupKey;
    if (at == null) {
      log.remove(logKey);
    } else {
      log.put(logKey, new LogEntry(Set.copyOf(firing), Set.copyOf(resolved), at));
    }
  }

  /**
   * Takes back a notification whose send failed: the log as it was before it ({@code at} null:
   * none), the alerts it was about back in their group (its flush had removed the resolved ones, so
   * without this a failed resolve would be lost), and the group flushed again at {@code retryAt}.
   */
  public void retry(
      Notification n, Set<String> firing, Set<String> resolved, Instant at, Instant retryAt) {
    restoreLog(n.receiver(), n.groupKey(), firing, resolved, at);
    List<Alert> about = new ArrayList<>(n.firing());
    about.addAll(n.resolved());
    for (Alert alert : about) {
      for (Route route : config.route().match(alert.labels())) {
        if (route.receiver().equals(n.receiver())
            && route.groupKey(alert.labels()).equals(n.groupKey())) {
          String id = route.path() + "\u0000" + route.groupKey(alert.labels());
          groups
              .computeIfAbsent(
                  id, k -> new AggregationGroup(route, route.groupLabels(alert.labels()), retryAt))
              .retryAt(alert, retryAt);
          alerts.putIfAbsent(alert.fingerprint(), alert);
        }
      }
    }
  }

  /** The group keys that currently hold alerts (for inspection). */
  public Set<String> groupKeys() {
    return groups.values().stream().map(AggregationGroup::key).collect(Collectors.toSet());
  }

  /** Whether a route would send nothing now because of its mute or active time intervals. */
  public boolean isTimeMuted(Route route, Instant now) {
    for (String name : route.muteTimeIntervals()) {
      if (config.timeIntervals().get(name).contains(now)) {
        return true;
      }
    }
    if (route.activeTimeIntervals().isEmpty()) {
      return false;
    }
    for (String name : route.activeTimeIntervals()) {
      if (config.timeIntervals().get(name).contains(now)) {
        return false;
      }
    }
    return true;
  }

  /** Whether an inhibition rule or a silence mutes these labels now. */
  public boolean isMuted(Map<String, String> labels, Instant now) {
    return inhibitor.isInhibited(labels, alerts.values(), now) || silences.isSilenced(labels, now);
  }

  private Optional<Notification> flush(AggregationGroup group, Instant now) {
    List<Alert> flushed = group.startFlush(now);
    Route route = group.route();
    Notification sent = null;
    if (!isTimeMuted(route, now)) {
      List<Alert> firing = new ArrayList<>();
      List<Alert> resolved = new ArrayList<>();
      for (Alert a : flushed) {
        if (!isMuted(a.labels(), now)
            && !silences.isAcknowledged(route.receiver(), group.key(), a, now)) {
          (a.resolvedAt(now) ? resolved : firing).add(a);
        }
      }
      String logKey = route.receiver() + "\u0000" + group.key();
      LogEntry entry = log.get(logKey);
      Set<String> firingIds = fingerprints(firing);
      Set<String> resolvedIds = fingerprints(resolved);
      if (!(firing.isEmpty() && resolved.isEmpty())
          && escalated(group, entry)
          && needsUpdate(entry, firingIds, resolvedIds, route, now)) {
        sent =
            new Notification(route.receiver(), group.key(), group.labels(), firing, resolved, now);
        log.put(logKey, new LogEntry(firingIds, resolvedIds, now));
      }
    }
    // As in Alertmanager, resolved alerts leave once flushed, even when the flush sent nothing.
    group.removeResolved(flushed, now);
    return Optional.ofNullable(sent);
  }

  /**
   * Whether a group may notify: it has had its route's escalate_after occurrences, or its receiver
   * was last told of alerts the group still holds as firing (a group escalated before a restart,
   * whose rebuilt count may be lower, stays escalated; a log entry left firing by a resolve that
   * was never sent, silenced or in quiet hours, does not escalate a new group).
   */
  private static boolean escalated(AggregationGroup group, LogEntry entry) {
    return group.escalated()
        || (entry != null && !java.util.Collections.disjoint(entry.firing(), group.fingerprints()));
  }

  // Alertmanager's DedupStage.needsUpdate, with resolved notifications on (send_resolved).
  private static boolean needsUpdate(
      LogEntry entry, Set<String> firing, Set<String> resolved, Route route, Instant now) {
    if (entry == null) {
      return !firing.isEmpty();
    }
    if (!entry.firing().containsAll(firing)) {
      return true;
    }
    if (firing.isEmpty()) {
      return !entry.firing().isEmpty();
    }
    if (!entry.resolved().containsAll(resolved)) {
      return true;
    }
    return entry.at().isBefore(now.minus(route.repeatInterval()));
  }

  private boolean inAnyGroup(String fingerprint) {
    return groups.values().stream().anyMatch(g -> g.contains(fingerprint));
  }

  private static Set<String> fingerprints(List<Alert> alerts) {
    return alerts.stream().map(Alert::fingerprint).collect(Collectors.toSet());
  }

  /** The last notification of a (receiver, group): what was firing and resolved, and when. */
  private record LogEntry(Set<String> firing, Set<String> resolved, Instant at) {}
}
