package io.stackpilot.notifier.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Alertmanager's `time_intervals` periods, with its validation rules. */
final class TimeIntervalParser {

  private static final Pattern TIME =
      Pattern.compile("^(?:([01][0-9]|2[0-3]):([0-5][0-9])|24:00)$");
  private static final List<String> WEEKDAYS =
      List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday");
  private static final List<String> MONTHS =
      List.of(
          "january",
          "february",
          "march",
          "april",
          "may",
          "june",
          "july",
          "august",
          "september",
          "october",
          "november",
          "december");
  private static final Set<String> PERIOD_FIELDS =
      Set.of("times", "weekdays", "days_of_month", "months", "years", "location");

  private final ConfigNodes nodes;

  TimeIntervalParser(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  TimeInterval.Period period(JsonNode node, String path) {
    if (!nodes.mapping(node, path, PERIOD_FIELDS)) {
      return null;
    }
    List<TimeInterval.Times> times = new ArrayList<>();
    for (ConfigNodes.Element e : nodes.list(node.get("times"), path + ".times")) {
      TimeInterval.Times t = times(e.node(), e.path());
      if (t != null) {
        times.add(t);
      }
    }
    List<TimeInterval.Range> weekdays =
        ranges(node.get("weekdays"), path + ".weekdays", s -> named(s, WEEKDAYS, 0, "weekday"));
    List<TimeInterval.Range> months = ranges(node.get("months"), path + ".months", s -> monthOf(s));
    List<TimeInterval.Range> years = ranges(node.get("years"), path + ".years", s -> yearOf(s));
    List<TimeInterval.Range> days = daysOfMonth(node.get("days_of_month"), path + ".days_of_month");
    ZoneId location = location(node.get("location"), path + ".location");
    return new TimeInterval.Period(times, weekdays, days, months, years, location);
  }

  private TimeInterval.Times times(JsonNode node, String path) {
    if (!nodes.mapping(node, path, Set.of("start_time", "end_time"))) {
      return null;
    }
    Integer start = minuteOf(node.get("start_time"), path + ".start_time");
    Integer end = minuteOf(node.get("end_time"), path + ".end_time");
    if (start == null || end == null) {
      return null;
    }
    if (start >= end) {
      nodes.add(path, "start time cannot be equal or greater than end time");
      return null;
    }
    return new TimeInterval.Times(start, end);
  }

  private Integer minuteOf(JsonNode node, String path) {
    String s = nodes.string(node, path);
    if (s == null) {
      nodes.add(path, "missing");
      return null;
    }
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      nodes.add(path, "invalid time of day '" + s + "', expected HH:MM between 00:00 and 24:00");
      return null;
    }
    return m.group(1) == null
        ? 24 * 60
        : Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
  }

  private List<TimeInterval.Range> ranges(
      JsonNode node, String path, ToIntFunction<String> parseOne) {
    List<TimeInterval.Range> out = new ArrayList<>();
    for (String[] parts : split(node, path)) {
      String at = parts[2];
      try {
        int begin = parseOne.applyAsInt(parts[0]);
        int end = parseOne.applyAsInt(parts[1]);
        if (begin > end) {
          nodes.add(at, "start '" + parts[0] + "' is after end '" + parts[1] + "'");
        } else {
          out.add(new TimeInterval.Range(begin, end));
        }
      } catch (IllegalArgumentException e) {
        nodes.add(at, e.getMessage());
      }
    }
    return out;
  }

  // Alertmanager's rules: 1..31 or -31..-1; a negative start needs a negative end; the start may
  // not come after the end even in the shortest month (28 days).
  private List<TimeInterval.Range> daysOfMonth(JsonNode node, String path) {
    List<TimeInterval.Range> out = new ArrayList<>();
    for (String[] parts : split(node, path)) {
      String at = parts[2];
      try {
        int begin = dayOf(parts[0]);
        int end = dayOf(parts[1]);
        if (begin < 0 && end > 0) {
          nodes.add(at, "end day must be negative if start day is negative");
        } else if ((begin < 0 ? 28 + begin : begin) > (end < 0 ? 28 + end : end)) {
          nodes.add(at, "end day " + end + " is before start day " + begin);
        } else {
          out.add(new TimeInterval.Range(begin, end));
        }
      } catch (IllegalArgumentException e) {
        nodes.add(at, e.getMessage());
      }
    }
    return out;
  }

  /** Each `a` or `a:b` of a list as {begin, end, path}. */
  private List<String[]> split(JsonNode node, String path) {
    List<String[]> out = new ArrayList<>();
    for (ConfigNodes.Element e : nodes.list(node, path)) {
      String s = nodes.string(e.node(), e.path());
      if (s == null) {
        continue;
      }
      String[] p = s.split(":", -1);
      if (p.length > 2) {
        nodes.add(e.path(), "invalid range '" + s + "'");
        continue;
      }
      out.add(new String[] {p[0].strip(), p[p.length - 1].strip(), e.path()});
    }
    return out;
  }

  private static int named(String s, List<String> names, int first, String what) {
    int i = names.indexOf(s.toLowerCase());
    if (i < 0) {
      throw new IllegalArgumentException("'" + s + "' is not a valid " + what);
    }
    return i + first;
  }

  private static int monthOf(String s) {
    if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
      int m = Integer.parseInt(s);
      if (m < 1 || m > 12) {
        throw new IllegalArgumentException(s + " is not a valid month: out of range");
      }
      return m;
    }
    return named(s, MONTHS, 1, "month");
  }

  private static int yearOf(String s) {
    try {
      int y = Integer.parseInt(s);
      if (y < 0) {
        throw new IllegalArgumentException(s + " is not a valid year");
      }
      return y;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a valid year");
    }
  }

  private static int dayOf(String s) {
    int d;
    try {
      d = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a valid day of the month");
    }
    if (d == 0 || d < -31 || d > 31) {
      throw new IllegalArgumentException(d + " is not a valid day of the month: out of range");
    }
    return d;
  }

  private ZoneId location(JsonNode node, String path) {
    String s = nodes.string(node, path);
    if (s == null || s.equals("UTC") || s.isEmpty()) {
      return ZoneOffset.UTC;
    }
    if (s.equals("Local")) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      nodes.add(path, "unknown time zone '" + s + "'");
      return ZoneOffset.UTC;
    }
  }
}
