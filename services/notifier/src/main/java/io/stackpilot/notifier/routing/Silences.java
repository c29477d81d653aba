package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The silences known to this process; pure state, the caller says what time it is. */
public final class Silences {

  private final Map<String, Silence> byId = new LinkedHashMap<>();

  /** Adds a silence, or replaces the one with the same id. */
  public void put(Silence silence) {
    byId.put(silence.id(), silence);
  }

  /**
   * Expires a silence now, as Alertmanager's expire does: an active silence ends now, a pending one
   * never starts. Returns false when there is no such silence or it has already expired.
   */
  public boolean expire(String id, Instant now) {
    Silence s = byId.get(id);
    if (s == null || s.expiredAt(now)) {
      return false;
    }
    Instant start = s.startsAt().isAfter(now) ? now : s.startsAt();
    byId.put(id, new Silence(id, s.matchers(), start, now, s.createdBy(), s.comment()));
    return true;
  }

  public Optional<Silence> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The active silences that match these labels. */
  public List<Silence> silencing(Map<String, String> labels, Instant now) {
    List<Silence> out = new ArrayList<>();
    for (Silence s : byId.values()) {
      if (s.activeAt(now) && LabelMatcher.matchesAll(s.matchers(), labels)) {
        out.add(s);
      }
    }
    return out;
  }

  public boolean isSilenced(Map<String, String> labels, Instant now) {
    return !silencing(labels, now).isEmpty();
  }
}
