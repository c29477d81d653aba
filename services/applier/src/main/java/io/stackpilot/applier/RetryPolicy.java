package io.stackpilot.applier;

import io.stackpilot.kube.ApiFailure;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the applier tries a step's cluster again after a failed attempt: exponential backoff with
 * full jitter for transient failures, never for permanent ones, within a per-step deadline.
 *
 * <p>The wait after the {@code n}th failure in a row is uniform in {@code [0, min(cap, base *
 * 2^(n-1))]} ("full jitter": clusters that failed together do not come back together), but never
 * shorter than a Retry-After the server asked for. The step gives up after {@code maxAttempts}
 * failures in a row <em>without progress</em> (an attempt that completed an object resets the
 * count: a cluster failing half its requests still gets a long step through), or when the next try
 * would start after the deadline.
 *
 * <p>Defaults ({@link #DEFAULTS}): base 200 ms, cap 5 s, 5 attempts, deadline 60 s. With them a
 * cluster that refuses connections fails a step after at most 0.2 + 0.4 + 0.8 + 1.6 = 3 s of
 * waiting; one that never answers (10 s request timeout) after about 5 x 10 s + 3 s = 53 s.
 *
 * <p>Bindable as {@code stackpilot.applier.retry.base|cap|max-attempts|deadline} (e.g.
 * {@code @EnableConfigurationProperties(RetryPolicy.class)} and a {@code RetryPolicy} bean
 * parameter).
 *
 * @param base the first wait's upper bound
 * @param cap the largest upper bound of a wait
 * @param maxAttempts failed attempts in a row, without progress, before the step fails
 * @param deadline how long one handling of a step may retry, from its first attempt
 */
@ConfigurationProperties("stackpilot.applier.retry")
record RetryPolicy(
    @DefaultValue("200ms") Duration base,
    @DefaultValue("5s") Duration cap,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("60s") Duration deadline) {

  static final RetryPolicy DEFAULTS =
      new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(60));

  RetryPolicy {
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 <= base <= cap: " + base + ", " + cap);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("deadline cannot be negative: " + deadline);
    }
  }

  /**
   * How long to wait before the next attempt, or empty to give up now.
   *
   * @param failure the last attempt's failure
   * @param failuresInARow failed attempts since the last one that made progress, this one included
   * @param retryAfter what the server asked to wait (zero when it did not say)
   * @param remaining time left before the step's deadline
   * @param random a draw uniform in [0, 1): the jitter
   */
  Optional<Duration> nextWait(
      ApiFailure failure,
      int failuresInARow,
      Duration retryAfter,
      Duration remaining,
      double random) {
    if (!failure.retriable() || failuresInARow >= maxAttempts) {
      return Optional.empty();
    }
    Duration wait = max(jitter(failuresInARow, random), retryAfter);
    return wait.compareTo(remaining) < 0 ? Optional.of(wait) : Optional.empty();
  }

  /** Full jitter: uniform in {@code [0, min(cap, base * 2^(n-1))]}. */
  Duration jitter(int failuresInARow, double random) {
    long ceiling = base.toMillis();
    for (int i = 1; i < failuresInARow && ceiling < cap.toMillis(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap.toMillis());
    return Duration.ofMillis((long) (random * (ceiling + 1)));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
