package io.stackpilot.notifier.silence;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.SilenceChange;
import io.stackpilot.events.SilenceChanged;
import io.stackpilot.events.SilenceMatcher;
import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import java.util.List;

/** Silences to SilenceChanged events and back: the topic is the silences' only store. */
public final class SilenceEvents {
  private SilenceEvents() {}

  public static SilenceChanged event(EventEnvelope envelope, SilenceChange change, Silence s) {
    return SilenceChanged.newBuilder()
        .setEnvelope(envelope)
        .setSilenceId(s.id())
        .setChange(change)
        .setMatchers(s.matchers().stream().map(SilenceEvents::matcher).toList())
        .setStartsAt(s.startsAt())
        .setEndsAt(s.endsAt())
        .setCreatedBy(s.createdBy())
        .setComment(s.comment() == null ? "" : s.comment())
        .build();
  }

  /** The silence as the event leaves it. */
  public static Silence silence(SilenceChanged e) {
    List<LabelMatcher> matchers =
        e.getMatchers().stream()
            .map(m -> LabelMatcher.of(m.getName(), type(m), m.getValue()))
            .toList();
    return new Silence(
        e.getSilenceId(),
        matchers,
        e.getStartsAt(),
        e.getEndsAt(),
        e.getCreatedBy(),
        e.getComment());
  }

  static SilenceMatcher matcher(LabelMatcher m) {
    return SilenceMatcher.newBuilder()
        .setName(m.name())
        .setValue(m.value())
        .setIsRegex(isRegex(m))
        .setIsEqual(isEqual(m))
        .build();
  }

  static boolean isRegex(LabelMatcher m) {
    return m.type() == LabelMatcher.Type.REGEX || m.type() == LabelMatcher.Type.NOT_REGEX;
  }

  static boolean isEqual(LabelMatcher m) {
    return m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.REGEX;
  }

  private static LabelMatcher.Type type(SilenceMatcher m) {
    if (m.getIsRegex()) {
      return m.getIsEqual() ? LabelMatcher.Type.REGEX : LabelMatcher.Type.NOT_REGEX;
    }
    return m.getIsEqual() ? LabelMatcher.Type.EQUAL : LabelMatcher.Type.NOT_EQUAL;
  }
}
