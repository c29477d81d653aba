package io.stackpilot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A real Prometheus (Debian's package) holding three days of {@code http_requests_total} counters
 * per cluster (labels {@code cluster}, {@code status} 200 or 500), backfilled with promtool: 1
 * request in 1,000 fails, except on the burning clusters from a little over an hour ago, where 15
 * do (burn 15x for a 99.9 % objective: above the page threshold of 14.4x in 1 h and 5 m). The
 * samples go on 30 minutes past the start, so queries at "now" see full windows for that long.
 */
public final class RequestCounters {
  public static final int PER_MINUTE = 1000;

  private RequestCounters() {}

  /** Backfills {@code dir} and starts Prometheus on it. */
  public static RealComponent prometheus(
      Path dir, Collection<String> clusters, Set<String> burning) {
    try {
      Files.createDirectories(dir);
      Instant now = Instant.now();
      Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(30));
      Path data = dir.resolve("openmetrics.txt");
      Files.writeString(
          data, openMetrics(clusters, burning, end, now.minus(Duration.ofMinutes(62))));
      RealComponent.promtool(
          dir,
          "tsdb",
          "create-blocks-from",
          "openmetrics",
          data.toString(),
          dir.resolve("prometheus/data").toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the counters to " + dir, e);
    }
    return RealComponent.prometheus(dir.resolve("prometheus"), "global: {}\n");
  }

  /** The counters as OpenMetrics text, one sample a minute until {@code end}. */
  public static String openMetrics(
      Collection<String> clusters, Set<String> burning, Instant end, Instant burnFrom) {
    long last = end.getEpochSecond();
    long first = last - Duration.ofDays(3).toSeconds() - 600;
    StringBuilder out = new StringBuilder("# HELP http_requests Requests.\n");
    out.append("# TYPE http_requests counter\n");
    for (String cluster : clusters) {
      for (String status : List.of("200", "500")) {
        long ok = 0;
        long errors = 0;
        for (long t = first; t <= last; t += 60) {
          long e = burning.contains(cluster) && t >= burnFrom.getEpochSecond() ? 15 : 1;
          ok += PER_MINUTE - e;
          errors += e;
          out.append("http_requests_total{cluster=\"")
              .append(cluster)
              .append("\",status=\"")
              .append(status)
              .append("\"} ")
              .append(status.equals("200") ? ok : errors)
              .append(' ')
              .append(t)
              .append('\n');
        }
      }
    }
    return out.append("# EOF\n").toString();
  }
}
