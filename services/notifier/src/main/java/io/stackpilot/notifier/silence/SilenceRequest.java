package io.stackpilot.notifier.silence;

import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of Alertmanager's {@code POST /api/v2/silences} (postableSilence), and its validation
 * with Alertmanager's rules: at least one matcher, valid label names and regular expressions, not
 * every matcher matching the empty string, both times given, the end after the start and not in the
 * past, createdBy and comment given.
 */
public record SilenceRequest(
    String id,
    List<MatcherBody> matchers,
    String startsAt,
    String endsAt,
    String createdBy,
    String comment) {

  /** One matcher as Alertmanager's API has it: isEqual defaults to true (older clients omit it). */
  public record MatcherBody(String name, String value, Boolean isRegex, Boolean isEqual) {}

  /**
   * The silence this request asks for, with a new id.
   *
   * @throws InvalidSilenceException naming the first field that is wrong
   */
  public Silence toSilence(Instant now) {
    if (matchers == null || matchers.isEmpty()) {
      throw new InvalidSilenceException("matchers", "at least one matcher is required");
    }
    List<LabelMatcher> parsed = new ArrayList<>();
    for (int i = 0; i < matchers.size(); i++) {
      parsed.add(matcher(matchers.get(i), "matchers[" + i + "]"));
    }
    if (parsed.stream().allMatch(m -> m.matches(Map.of()))) {
      throw new InvalidSilenceException(
          "matchers", "at least one matcher must not match the empty string");
    }
    Instant start = time(startsAt, "startsAt");
    Instant end = time(endsAt, "endsAt");
    if (end.isBefore(start)) {
      throw new InvalidSilenceException("endsAt", "must not be before startsAt");
    }
    if (!end.isAfter(now)) {
      throw new InvalidSilenceException("endsAt", "must be in the future");
    }
    if (createdBy == null || createdBy.isBlank()) {
      throw new InvalidSilenceException("createdBy", "is required");
    }
    if (comment == null || comment.isBlank()) {
      throw new InvalidSilenceException("comment", "is required");
    }
    return new Silence(
        UUID.randomUUID().toString(), parsed, start, end, createdBy.strip(), comment.strip());
  }

  private static LabelMatcher matcher(MatcherBody m, String path) {
    if (m == null) {
      throw new InvalidSilenceException(path, "is null");
    }
    if (!LabelMatcher.isLabelName(m.name())) {
      throw new InvalidSilenceException(path + ".name", "invalid label name '" + m.name() + "'");
    }
    if (m.value() == null) {
      throw new InvalidSilenceException(path + ".value", "is required");
    }
    boolean regex = Boolean.TRUE.equals(m.isRegex());
    boolean equal = m.isEqual() == null || m.isEqual();
    LabelMatcher.Type type =
        regex
            ? (equal ? LabelMatcher.Type.REGEX : LabelMatcher.Type.NOT_REGEX)
            : (equal ? LabelMatcher.Type.EQUAL : LabelMatcher.Type.NOT_EQUAL);
    try {
      return LabelMatcher.of(m.name(), type, m.value());
    } catch (IllegalArgumentException e) {
      throw new InvalidSilenceException(path + ".value", e.getMessage());
    }
  }

  private static Instant time(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidSilenceException(field, "is required (RFC 3339 date-time)");
    }
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidSilenceException(field, "not an RFC 3339 date-time: '" + value + "'");
    }
  }
}
