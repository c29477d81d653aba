package io.stackpilot.notifier.delivery;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Dispatcher;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.Silences;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aggregation groups of one routed-alerts partition, folded from Kafka: the latest record of
 * each routed alert, the notification log of the partition's groups, and a {@link Dispatcher} fed
 * from both. Owned by one stage-two instance at a time; not thread-safe.
 */
final class GroupState {
  /** Resolved alerts are kept this long for a rebuild, then forgotten. */
  static final Duration KEEP_RESOLVED = Duration.ofHours(1);

  record Held(SourcedAlert alert, long offset) {}

  private final int partition;
  private final int partitions;
  private final Clock clock;
  private final Silences silences;
  // receiver SEP groupKey -> routePath SEP fingerprint -> the alert
  private final Map<String, Map<String, Held>> alerts = new HashMap<>();
  // receiver SEP groupKey SEP channelId -> last entry
  private final Map<String, LogEntry> log = new LinkedHashMap<>();
  // receiver SEP groupKey -> notifications of the group that failed in a row (the retry backoff)
  private final Map<String, Integer> failures = new HashMap<>();
  private Dispatcher dispatcher;
  private long appliedOffset = -1;

  GroupState(int partition, int partitions, Clock clock) {
    this(partition, partitions, clock, new Silences());
  }

  /** With the process's silences and acknowledgements, read live at every flush. */
  GroupState(int partition, int partitions, Clock clock, Silences silences) {
    this.partition = partition;
    this.partitions = partitions;
    this.clock = clock;
    this.silences = silences;
  }

  int partition() {
    return partition;
  }

  long appliedOffset() {
    return appliedOffset;
  }

  /** Folds one routed-alerts record; feeds it to the dispatcher once it runs. */
  void apply(SourcedAlert alert, long offset) {
    String group = group(alert.receiver(), alert.groupKey());
    alerts
        .computeIfAbsent(group, g -> new LinkedHashMap<>())
        .put(alert.routePath() + InternalTopics.SEP + alert.fingerprint(), new Held(alert, offset));
    appliedOffset = offset;
    if (dispatcher != null) {
      dispatcher.receive(alert.alert());
    }
  }

  /**
   * Folds a tombstone of routed-alerts (the key of {@link InternalTopics#alertKey}): a resolved
   * alert is forgotten; an alert that fired again before the tombstone was written is returned, so
   * the caller writes it again (compaction would otherwise delete the newer record with the key).
   */
  Optional<SourcedAlert> applyTombstone(String alertKey, long offset) {
    appliedOffset = Math.max(appliedOffset, offset);
    String[] parts = alertKey.split(String.valueOf(InternalTopics.SEP), -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    Map<String, Held> held = alerts.get(group(parts[1], parts[2]));
    Held h = held == null ? null : held.get(parts[0] + InternalTopics.SEP + parts[3]);
    if (h == null) {
      return Optional.empty();
    }
    if (h.alert().alert().resolvedAt(clock.instant())) {
      held.remove(parts[0] + InternalTopics.SEP + parts[3]);
      return Optional.empty();
    }
    return Optional.of(h.alert());
  }

  /**
   * The routed records of a delivered notification's resolved alerts that are still resolved: once
   * the resolve is logged SENT, nothing needs them any more and they can be tombstoned.
   */
  List<SourcedAlert> deliveredResolves(Notification n) {
    Map<String, Held> held = alerts.getOrDefault(group(n.receiver(), n.groupKey()), Map.of());
    List<SourcedAlert> out = new ArrayList<>();
    for (Alert a : n.resolved()) {
      for (Held h : held.values()) {
        if (h.alert().fingerprint().equals(a.fingerprint())
            && h.alert().alert().resolvedAt(clock.instant())) {
          out.add(h.alert());
        }
      }
    }
    return out;
  }

  void putLog(String key, LogEntry entry) {
    if (entry == null) {
      log.remove(key);
    } else {
      log.put(key, entry);
    }
  }

  Optional<LogEntry> log(String receiver, String groupKey, String channelId) {
    return Optional.ofNullable(log.get(InternalTopics.logKey(receiver, groupKey, channelId)));
  }

  List<LogEntry> pending() {
    return log.values().stream().filter(LogEntry::pending).toList();
  }

  /**
   * A fresh dispatcher for this configuration: the log restored (the latest entry of each group),
   * then every held alert fed, except resolved alerts a logged flush has already seen.
   */
  void rebuild(RoutingConfig config) {
    dispatcher = new Dispatcher(config, clock, silences);
    Map<String, LogEntry> latest = new HashMap<>();
    for (LogEntry e : log.values()) {
      latest.merge(group(e.receiver(), e.groupKey()), e, (a, b) -> a.seq() >= b.seq() ? a : b);
    }
    latest
        .values()
        .forEach(
            e ->
                dispatcher.restoreLog(
                    e.receiver(),
                    e.groupKey(),
                    e.firing(),
                    e.resolved(),
                    Instant.ofEpochMilli(e.at())));
    Instant now = clock.instant();
    List<Held> feed = new ArrayList<>();
    alerts.forEach(
        (group, held) -> {
          LogEntry entry = latest.get(group);
          long seen = entry == null ? -1 : entry.appliedOffset();
          for (Held h : held.values()) {
            Alert a = h.alert().alert();
            if (!(a.resolvedAt(now) && h.offset() <= seen)) {
              feed.add(h);
            }
          }
        });
    feed.sort(Comparator.comparingLong(Held::offset));
    feed.forEach(h -> dispatcher.receive(h.alert().alert()));
  }

  boolean running() {
    return dispatcher != null;
  }

  /** The notifications due now whose group this partition owns. */
  List<Notification> flushDue() {
    List<Notification> owned = new ArrayList<>();
    for (Notification n : dispatcher.flushDue()) {
      if (InternalTopics.partitionFor(n.receiver(), n.groupKey(), partitions) == partition) {
        owned.add(n);
      }
    }
    forgetOldResolved();
    return owned;
  }

  /**
   * Takes back a decision that was not delivered: the dispatcher's log goes back to {@code
   * previous} (the last entry that stands; null: none), the alerts come back into their group
   * (resolved ones included, which its flush had removed) and the group is flushed again at {@code
   * retryAt}.
   */
  void retry(Notification n, LogEntry previous, Instant retryAt) {
    if (dispatcher == null) {
      return; // not caught up yet: the rebuild reads the log that was written back
    }
    if (previous == null) {
      dispatcher.retry(n, null, null, null, retryAt);
    } else {
      dispatcher.retry(
          n, previous.firing(), previous.resolved(), Instant.ofEpochMilli(previous.at()), retryAt);
    }
  }

  /** When a group whose notification failed is tried again: a backoff doubling per failure. */
  Instant backoffUntil(Notification n, DeliveryPolicy policy) {
    int failed = failures.merge(group(n.receiver(), n.groupKey()), 1, Integer::sum);
    return clock.instant().plus(policy.backoffAfter(failed));
  }

  /** A notification of the group went out: its next failure starts the backoff again. */
  void delivered(Notification n) {
    failures.remove(group(n.receiver(), n.groupKey()));
  }

  /** The alerts a notification is about, with their events, firing first. */
  List<SourcedAlert> sources(String receiver, String groupKey, List<Alert> of) {
    Map<String, Held> held = alerts.getOrDefault(group(receiver, groupKey), Map.of());
    Map<String, SourcedAlert> byFingerprint = new HashMap<>();
    held.values().forEach(h -> byFingerprint.put(h.alert().fingerprint(), h.alert()));
    List<SourcedAlert> out = new ArrayList<>();
    for (Alert a : of) {
      SourcedAlert s = byFingerprint.get(a.fingerprint());
      if (s == null) {
        // routed under another group (the configuration changed between the stages): any copy
        s = anyGroup(a.fingerprint());
      }
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private SourcedAlert anyGroup(String fingerprint) {
    for (Map<String, Held> held : alerts.values()) {
      for (Held h : held.values()) {
        if (h.alert().fingerprint().equals(fingerprint)) {
          return h.alert();
        }
      }
    }
    return null;
  }

  private void forgetOldResolved() {
    Instant horizon = clock.instant().minus(KEEP_RESOLVED);
    alerts
        .values()
        .forEach(
            held ->
                held.values()
                    .removeIf(
                        h ->
                            h.alert().endsAt() != null
                                && Instant.ofEpochMilli(h.alert().endsAt()).isBefore(horizon)));
    alerts.values().removeIf(Map::isEmpty);
  }

  private static String group(String receiver, String groupKey) {
    return receiver + InternalTopics.SEP + groupKey;
  }
}
