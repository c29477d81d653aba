package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A silence: mutes the alerts its matchers all match, from startsAt (inclusive) to endsAt. */
public record Silence(
    String id,
    List<LabelMatcher> matchers,
    Instant startsAt,
    Instant endsAt,
    String createdBy,
    String comment) {

  public Silence {
    matchers = List.copyOf(matchers);
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one matcher");
    }
    // As Alertmanager: a silence whose matchers all match the empty string would mute everything.
    if (matchers.stream().allMatch(m -> m.matches(Map.of()))) {
      throw new IllegalArgumentException("at least one matcher must not match the empty string");
    }
    if (endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException("endsAt must not be before startsAt");
    }
  }

  public boolean activeAt(Instant now) {
    return !startsAt.isAfter(now) && endsAt.isAfter(now);
  }

  public boolean expiredAt(Instant now) {
    return !endsAt.isAfter(now);
  }
}
