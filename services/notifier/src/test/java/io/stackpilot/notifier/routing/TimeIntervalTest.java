package io.stackpilot.notifier.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Time intervals as in Alertmanager's timeinterval package: ranges, negative days, locations. */
class TimeIntervalTest {

  private static TimeInterval interval(String spec) {
    String yaml =
        "route: {receiver: r, routes: [{receiver: r, mute_time_intervals: [t]}]}\n"
            + "receivers: [{name: r}]\n"
            + "time_intervals:\n  - name: t\n    time_intervals:\n"
            + spec.indent(6);
    return RoutingConfigLoader.load(yaml).timeIntervals().get("t");
  }

  @Test
  void timesAreHalfOpenInTheirLocation() {
    TimeInterval quiet =
        interval(
            """
            - times: [{start_time: "22:00", end_time: "24:00"}, {start_time: "00:00", end_time: "07:00"}]
              location: America/Toronto
            """);
    // 2026-01-15 is EST (UTC-5): 22:00 local is 03:00Z next day, 07:00 local is 12:00Z.
    assertThat(quiet.contains(Instant.parse("2026-01-16T02:59:00Z"))).isFalse();
    assertThat(quiet.contains(Instant.parse("2026-01-16T03:00:00Z"))).isTrue();
    assertThat(quiet.contains(Instant.parse("2026-01-16T11:59:00Z"))).isTrue();
    assertThat(quiet.contains(Instant.parse("2026-01-16T12:00:00Z"))).isFalse();
    // In July (EDT, UTC-4) the same local hours are an hour earlier in UTC.
    assertThat(quiet.contains(Instant.parse("2026-07-16T02:30:00Z"))).isTrue();
  }

  @Test
  void negativeDaysOfMonthCountFromTheEndOfTheMonth() {
    TimeInterval lastTwo = interval("- days_of_month: [\"-2:-1\"]\n");
    assertThat(lastTwo.contains(Instant.parse("2026-02-27T12:00:00Z"))).isTrue();
    assertThat(lastTwo.contains(Instant.parse("2026-02-28T12:00:00Z"))).isTrue();
    assertThat(lastTwo.contains(Instant.parse("2026-02-26T12:00:00Z"))).isFalse();
    assertThat(lastTwo.contains(Instant.parse("2026-03-30T12:00:00Z"))).isTrue();
    assertThat(lastTwo.contains(Instant.parse("2026-03-29T12:00:00Z"))).isFalse();
  }

  @Test
  void weekdaysMonthsAndYearsAreInclusiveRanges() {
    TimeInterval t =
        interval(
            """
            - weekdays: ["monday:friday"]
              months: ["january:march", "12"]
              years: ["2026"]
            """);
    assertThat(t.contains(Instant.parse("2026-01-16T12:00:00Z"))).as("Friday in January").isTrue();
    assertThat(t.contains(Instant.parse("2026-01-17T12:00:00Z"))).as("Saturday").isFalse();
    assertThat(t.contains(Instant.parse("2026-12-01T12:00:00Z"))).as("December Tuesday").isTrue();
    assertThat(t.contains(Instant.parse("2026-04-01T12:00:00Z"))).as("April").isFalse();
    assertThat(t.contains(Instant.parse("2027-01-15T12:00:00Z"))).as("2027").isFalse();
  }
}
