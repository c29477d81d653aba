package io.stackpilot.notifier.routing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus durations (`1d`, `1h30m`, `500ms`, `0`), as Alertmanager's configuration takes them.
 */
public final class Durations {

  private static final Pattern DURATION =
      Pattern.compile(
          "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?"
              + "(?:([0-9]+)ms)?$");
  private static final long[] MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1
  };

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: '" + text + "'");
    }
    long total = 0;
    for (int i = 0; i < MILLIS.length; i++) {
      if (m.group(i + 1) != null) {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(i + 1)), MILLIS[i]));
      }
    }
    return Duration.ofMillis(total);
  }
}
