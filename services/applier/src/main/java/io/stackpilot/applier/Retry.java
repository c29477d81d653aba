package io.stackpilot.applier;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stackpilot.kube.ApiFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step's attempts until one succeeds or the {@link RetryPolicy} says to stop, waiting
 * between them. Clock, sleeper and jitter source are injected, so tests neither sleep nor draw.
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  /** Waits between attempts; a test gives one that does not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One handling of a step, tried as many times as the policy allows. */
  interface Attempts {
    /** Makes one attempt; throws what the cluster answered when it fails. */
    void attempt(Instant deadline);

    /** How many objects the attempts have completed so far: growth is progress. */
    int completed();

    /** Told of each failure before the next attempt, e.g. to read again after a timeout. */
    default void failed(ApiFailure failure) {}
  }

  /** How the attempts ended: the attempts made and, if none succeeded, the last failure. */
  record Result(int attempts, Optional<Failure> failure) {}

  /** A failed attempt: the error and how it was classified. */
  record Failure(RuntimeException error, ApiFailure classified) {}

  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  Retry(RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier random) {
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** Real sleeping and {@link ThreadLocalRandom} jitter. */
  static Retry of(RetryPolicy policy, Clock clock) {
    return new Retry(
        policy,
        clock,
        d -> Thread.sleep(d.toMillis()),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  private Runnable onRetry = () -> {};

  /** Called each time an attempt failed and another follows (the applier counts retries). */
  Retry onRetry(Runnable onRetry) {
    this.onRetry = onRetry;
    return this;
  }

  RetryPolicy policy() {
    return policy;
  }

  /** Attempts until success, a permanent failure, too many failures in a row, or the deadline. */
  Result run(String what, Attempts attempts) {
    Instant deadline = clock.instant().plus(policy.deadline());
    int failuresInARow = 0;
    for (int attempt = 1; ; attempt++) {
      int completedBefore = attempts.completed();
      try {
        attempts.attempt(deadline);
        return new Result(attempt, Optional.empty());
      } catch (RuntimeException e) {
        ApiFailure failure = ApiFailure.of(e);
        attempts.failed(failure);
        failuresInARow = attempts.completed() > completedBefore ? 1 : failuresInARow + 1;
        Duration remaining = Duration.between(clock.instant(), deadline);
        Optional<Duration> wait =
            policy.nextWait(
                failure, failuresInARow, retryAfter(e), remaining, random.getAsDouble());
        if (wait.isEmpty() || !pause(wait.get())) {
          return new Result(attempt, Optional.of(new Failure(e, failure)));
        }
        LOG.info(
            "{}: attempt {} failed: {} ({}); trying again in {} ms",
            what,
            attempt,
            failure.reason().text(),
            e.toString(),
            wait.get().toMillis());
        onRetry.run();
      }
    }
  }

  /** Waits; false when interrupted (the applier is stopping): the step then ends as it stands. */
  private boolean pause(Duration wait) {
    try {
      sleeper.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The wait a 429 asked for, from its Status's {@code details.retryAfterSeconds} (what the API
   * server sets alongside the Retry-After header; fabric8 does not pass headers on), else zero.
   */
  static Duration retryAfter(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException e
          && e.getStatus() != null
          && e.getStatus().getDetails() != null
          && e.getStatus().getDetails().getRetryAfterSeconds() != null) {
        return Duration.ofSeconds(Math.max(0, e.getStatus().getDetails().getRetryAfterSeconds()));
      }
    }
    return Duration.ZERO;
  }
}
