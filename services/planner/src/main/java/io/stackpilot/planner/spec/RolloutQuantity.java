package io.stackpilot.planner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of clusters, as a count ({@code 2}) or a percentage of the selected clusters ({@code
 * "25%"}), like Kubernetes' IntOrString. Anything else parses and is named by the validator.
 */
public record RolloutQuantity(String raw, Integer count, Integer percent) {
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})%");

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RolloutQuantity parse(Object value) {
    if (value instanceof Integer i) {
      return new RolloutQuantity(i.toString(), i, null);
    }
    if (value instanceof String s) {
      Matcher m = PERCENT.matcher(s.strip());
      if (m.matches()) {
        return new RolloutQuantity(s, null, Integer.parseInt(m.group(1)));
      }
    }
    return new RolloutQuantity(String.valueOf(value), null, null);
  }

  public static RolloutQuantity ofCount(int count) {
    return new RolloutQuantity(Integer.toString(count), count, null);
  }

  public static RolloutQuantity ofPercent(int percent) {
    return new RolloutQuantity(percent + "%", null, percent);
  }

  /** Why this quantity cannot be used, if it cannot. */
  public Optional<String> problem() {
    if (count == null && percent == null) {
      return Optional.of(
          "must be a whole number or a percentage such as \"25%\", not '" + raw + "'");
    }
    if (count != null && count < 1) {
      return Optional.of("must be at least 1, not " + count);
    }
    if (percent != null && (percent < 1 || percent > 100)) {
      return Optional.of("must be a percentage from 1% to 100%, not '" + raw + "'");
    }
    return Optional.empty();
  }

  /**
   * The count for {@code total} selected clusters: a percentage rounds up or down as asked, and
   * never gives less than 1.
   */
  public int resolve(int total, boolean roundUp) {
    problem()
        .ifPresent(
            p -> {
              throw new IllegalStateException("unresolvable quantity: " + p);
            });
    if (count != null) {
      return count;
    }
    long scaled = (long) percent * total;
    long n = roundUp ? (scaled + 99) / 100 : scaled / 100;
    return (int) Math.max(1, n);
  }
}
