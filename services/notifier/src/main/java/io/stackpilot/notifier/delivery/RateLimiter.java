package io.stackpilot.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A token bucket over a clock: {@code burst} tokens, refilled at {@code ratePerSecond}. */
final class RateLimiter {
  private final Clock clock;
  private final double ratePerSecond;
  private final int burst;
  private double tokens;
  private Instant refilledAt;

  RateLimiter(Clock clock, double ratePerSecond, int burst) {
    this.clock = clock;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = clock.instant();
  }

  /** Takes a token when one is there (returns zero), else says how long until one is. */
  synchronized Duration tryAcquire() {
    Instant now = clock.instant();
    double elapsed = Duration.between(refilledAt, now).toNanos() / 1e9;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond);
      refilledAt = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerSecond * 1e9));
  }
}
