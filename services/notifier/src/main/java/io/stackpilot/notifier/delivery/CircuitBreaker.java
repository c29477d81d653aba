package io.stackpilot.notifier.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Closed, open or half-open over a clock: {@code threshold} failed notifications in a row open it;
 * while open it refuses at once; after {@code openFor} it lets one trial through, which closes it
 * on success and opens it again on failure.
 */
final class CircuitBreaker {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final Clock clock;
  private final int threshold;
  private final Duration openFor;
  private int failures;
  private Instant openedAt;
  private State state = State.CLOSED;

  CircuitBreaker(Clock clock, int threshold, Duration openFor) {
    this.clock = clock;
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether a notification may be tried now (moves an open breaker to half-open when due). */
  synchronized boolean allow() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
      state = State.HALF_OPEN;
      return true;
    }
    return state != State.OPEN;
  }

  synchronized void succeeded() {
    failures = 0;
    state = State.CLOSED;
  }

  synchronized void failed() {
    failures++;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = clock.instant();
    }
  }

  synchronized State state() {
    return state;
  }
}
