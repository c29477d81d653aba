package io.stackpilot.notifier.delivery;

import java.time.Duration;

/**
 * How hard delivery tries one channel: attempts and exponential backoff (for retryable failures
 * only), the channel's rate limit, and when its circuit breaker opens and for how long.
 *
 * @param maxAttempts attempts per notification, the first included
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param ratePerSecond notifications a channel may take per second, on average
 * @param burst notifications a channel may take at once after a quiet spell
 * @param breakerThreshold consecutive failed notifications that open the breaker
 * @param breakerOpenFor how long an open breaker refuses before it lets one trial through
 */
public record DeliveryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double ratePerSecond,
    int burst,
    int breakerThreshold,
    Duration breakerOpenFor) {

  public DeliveryPolicy {
    if (maxAttempts < 1 || ratePerSecond <= 0 || burst < 1 || breakerThreshold < 1) {
      throw new IllegalArgumentException("invalid delivery policy " + maxAttempts);
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based): initial x 2^(attempt-1), capped. */
  public Duration backoffAfter(int attempt) {
    long millis = initialBackoff.toMillis();
    for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
