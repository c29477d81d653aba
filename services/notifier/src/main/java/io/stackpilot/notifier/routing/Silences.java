package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The silences and acknowledgements known to this process; the caller says what time it is.
 * Thread-safe: the API and the reader of the silences topic write while delivery reads.
 */
public final class Silences {

  private final Map<String, Silence> byId = new LinkedHashMap<>();
  // receiver SEP groupKey -> fingerprint -> startsAt of the acknowledged firing
  private final Map<String, Map<String, Instant>> acknowledged = new HashMap<>();

  /** Adds a silence, or replaces the one with the same id. */
  public synchronized void put(Silence silence) {
    byId.put(silence.id(), silence);
  }

  /**
   * Expires a silence now, as Alertmanager's expire does: an active silence ends now, a pending one
   * never starts. Returns false when there is no such silence or it has already expired.
   */
  public synchronized boolean expire(String id, Instant now) {
    Silence s = byId.get(id);
    if (s == null || s.expiredAt(now)) {
      return false;
    }
    byId.put(id, expired(s, now));
    return true;
  }

  /** The silence as {@link #expire} leaves it: ended now, started no later than now. */
  public static Silence expired(Silence s, Instant now) {
    Instant start = s.startsAt().isAfter(now) ? now : s.startsAt();
    return new Silence(s.id(), s.matchers(), start, now, s.createdBy(), s.comment());
  }

  public synchronized Optional<Silence> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every silence, expired ones included, in the order they were first put. */
  public synchronized List<Silence> all() {
    return List.copyOf(byId.values());
  }

  /**
   * How long an expired silence is kept, as Alertmanager's {@code --data.retention} (120h): every
   * rollout wave leaves one, and every flush looks at all that are kept.
   */
  public static final java.time.Duration RETENTION = java.time.Duration.ofHours(120);

  private Instant lastSweep;

  /** The active silences that match these labels; forgets those expired beyond RETENTION. */
  public synchronized List<Silence> silencing(Map<String, String> labels, Instant now) {
    List<Silence> out = new ArrayList<>();
    Instant forgetBefore = now.minus(RETENTION);
    for (var it = byId.values().iterator(); it.hasNext(); ) {
      Silence s = it.next();
      if (s.endsAt().isBefore(forgetBefore)) {
        it.remove();
      } else if (s.activeAt(now) && LabelMatcher.matchesAll(s.matchers(), labels)) {
        out.add(s);
      }
    }
    return out;
  }

  public boolean isSilenced(Map<String, String> labels, Instant now) {
    return !silencing(labels, now).isEmpty();
  }

  /**
   * Records that someone acknowledged these firing alerts (fingerprint to startsAt) of a receiver's
   * group: they stop repeating to that receiver until they resolve. A later firing of the same
   * labels starts again, so it is not acknowledged.
   */
  public synchronized void acknowledge(
      String receiver, String groupKey, Map<String, Instant> firingSince) {
    acknowledged
        .computeIfAbsent(receiver + "\u0000" + groupKey, k -> new HashMap<>())
        .putAll(firingSince);
  }

  /**
   * Whether this alert, still firing, was acknowledged for this receiver's group. The
   * acknowledgement of a resolved alert is forgotten (a later firing has a new start), and so is
   * one of an alert that started more than {@link #RETENTION} ago (a replica reads every
   * acknowledgement ever made when it starts; what an alert that long-firing repeats is worth
   * hearing again).
   */
  public synchronized boolean isAcknowledged(
      String receiver, String groupKey, Alert alert, Instant now) {
    String key = receiver + "\u0000" + groupKey;
    forgetOldAcknowledgements(now);
    if (alert.resolvedAt(now)) {
      Map<String, Instant> group = acknowledged.get(key);
      if (group != null && alert.startsAt() != null) {
        group.remove(alert.fingerprint(), alert.startsAt());
        if (group.isEmpty()) {
          acknowledged.remove(key);
        }
      }
      return false; // the resolution of an acknowledged alert is still worth telling
    }
    Map<String, Instant> group = acknowledged.get(key);
    return group != null
        && alert.startsAt() != null
        && alert.startsAt().equals(group.get(alert.fingerprint()));
  }

  /** How many acknowledged alerts are remembered (for tests and metrics). */
  public synchronized int acknowledgedCount() {
    return acknowledged.values().stream().mapToInt(Map::size).sum();
  }

  private void forgetOldAcknowledgements(Instant now) {
    if (lastSweep != null && lastSweep.isAfter(now.minusSeconds(60))) {
      return;
    }
    lastSweep = now;
    Instant horizon = now.minus(RETENTION);
    acknowledged.values().forEach(group -> group.values().removeIf(t -> t.isBefore(horizon)));
    acknowledged.values().removeIf(Map::isEmpty);
  }
}
