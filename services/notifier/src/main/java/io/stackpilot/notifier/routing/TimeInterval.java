package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A named time interval (Alertmanager's `time_intervals` entry): active when any of its periods
 * contains the instant.
 */
public record TimeInterval(String name, List<Period> periods) {

  public TimeInterval {
    periods = List.copyOf(periods);
  }

  public boolean contains(Instant instant) {
    for (Period p : periods) {
      if (p.contains(instant)) {
        return true;
      }
    }
    return false;
  }

  /** An inclusive range of integers (weekdays 0=Sunday..6, days of month, months, years). */
  public record Range(int begin, int end) {
    boolean contains(int v) {
      return v >= begin && v <= end;
    }
  }

  /** A range of minutes of the day, start inclusive, end exclusive; 24:00 is 1440. */
  public record Times(int startMinute, int endMinute) {}

  /** One period: every non-empty field must contain the instant, read in the period's location. */
  public record Period(
      List<Times> times,
      List<Range> weekdays,
      List<Range> daysOfMonth,
      List<Range> months,
      List<Range> years,
      ZoneId location) {

    public Period {
      times = List.copyOf(times);
      weekdays = List.copyOf(weekdays);
      daysOfMonth = List.copyOf(daysOfMonth);
      months = List.copyOf(months);
      years = List.copyOf(years);
    }

    public boolean contains(Instant instant) {
      ZonedDateTime t = instant.atZone(location);
      int minute = t.getHour() * 60 + t.getMinute();
      return (times.isEmpty()
              || times.stream().anyMatch(r -> minute >= r.startMinute && minute < r.endMinute))
          && anyContains(weekdays, t.getDayOfWeek().getValue() % 7)
          && containsDayOfMonth(t)
          && anyContains(months, t.getMonthValue())
          && anyContains(years, t.getYear());
    }

    private static boolean anyContains(List<Range> ranges, int v) {
      return ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(v));
    }

    // Negative days count from the end of the month (-1 is the last day), clamped to the month.
    private boolean containsDayOfMonth(ZonedDateTime t) {
      if (daysOfMonth.isEmpty()) {
        return true;
      }
      int days = t.toLocalDate().lengthOfMonth();
      for (Range r : daysOfMonth) {
        int begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
        int end = r.end < 0 ? days + r.end + 1 : r.end;
        if (begin > days) {
          continue;
        }
        end = Math.min(end, days);
        if (t.getDayOfMonth() >= begin && t.getDayOfMonth() <= end) {
          return true;
        }
      }
      return false;
    }
  }
}
