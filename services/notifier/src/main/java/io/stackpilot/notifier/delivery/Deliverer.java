package io.stackpilot.notifier.delivery;

import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one notification through one channel: waits for the channel's rate limit, refuses at once
 * while its circuit breaker is open, and retries with exponential backoff while the failure is
 * retryable and attempts are left. Limits and breakers are per receiver and channel id.
 */
public final class Deliverer {
  private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);

  /**
   * What delivery gave after its last attempt; {@code attempts} is 0 when nothing was tried. {@code
   * deferred}: not tried (or not tried again) because the caller's deadline came first; not a
   * failure of the receiver, so no NotificationFailed, and the caller tries again later.
   */
  public record Result(SendOutcome outcome, int attempts, boolean deferred) {
    public Result(SendOutcome outcome, int attempts) {
      this(outcome, attempts, false);
    }

    public boolean delivered() {
      return outcome.delivered();
    }
  }

  private final DeliveryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  /** Counter of send outcomes per channel kind. */
  public static final String DELIVERIES = "stackpilot.notifier.deliveries";

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters. Set before the loop runs. */
  public Deliverer metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public Deliverer(DeliveryPolicy policy, Clock clock, Sleeper sleeper) {
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  public Result deliver(Channel channel, Notification notification, String notificationId)
      throws InterruptedException {
    return deliver(channel, notification, notificationId, Instant.MAX);
  }

  /**
   * As {@link #deliver(Channel, Notification, String)}, but starts no attempt, rate-limit wait or
   * backoff that would begin or end after {@code deadline}: the caller (the poll thread) must call
   * poll again within max.poll.interval.ms, so a slow receiver costs at most one attempt's timeout
   * past it. A send cut short this way is {@link Result#deferred()}.
   */
  public Result deliver(
      Channel channel, Notification notification, String notificationId, Instant deadline)
      throws InterruptedException {
    String key = channel.receiver() + "/" + channel.id();
    CircuitBreaker breaker =
        breakers.computeIfAbsent(
            key,
            k -> new CircuitBreaker(clock, policy.breakerThreshold(), policy.breakerOpenFor()));
    if (!breaker.allow()) {
      outcome("failed", channel);
      return new Result(SendOutcome.failed(true, null, "circuit open for " + key), 0);
    }
    RateLimiter limiter =
        limiters.computeIfAbsent(
            key, k -> new RateLimiter(clock, policy.ratePerSecond(), policy.burst()));
    SendOutcome outcome = null;
    int attempt = 0;
    while (attempt < policy.maxAttempts()) {
      for (Duration wait = limiter.tryAcquire(); !wait.isZero(); wait = limiter.tryAcquire()) {
        if (!clock.instant().plus(wait).isBefore(deadline)) {
          return deferred(key, outcome, attempt);
        }
        sleeper.sleep(wait);
      }
      if (!clock.instant().isBefore(deadline)) {
        return deferred(key, outcome, attempt);
      }
      attempt++;
      outcome = channel.send(notification, notificationId);
      if (outcome.delivered() || !outcome.retryable() || attempt == policy.maxAttempts()) {
        break;
      }
      outcome("retried", channel);
      Duration backoff = policy.backoffAfter(attempt);
      if (!clock.instant().plus(backoff).isBefore(deadline)) {
        return deferred(key, outcome, attempt);
      }
      LOG.info("{} attempt {} failed ({}), next in {}", key, attempt, outcome.detail(), backoff);
      sleeper.sleep(backoff);
    }
    if (outcome.delivered()) {
      breaker.succeeded();
      outcome("sent", channel);
    } else {
      breaker.failed();
      outcome("failed", channel);
    }
    return new Result(outcome, attempt);
  }

  /** Counts by channel kind, a handful of values (never the receiver: it is configuration). */
  private void outcome(String outcome, Channel channel) {
    metrics.outcome(
        DELIVERIES,
        "Notification sends by channel kind: sent, failed (after the last attempt), retried",
        outcome,
        "channel",
        channel.kind().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Result deferred(String key, SendOutcome last, int attempts) {
    String detail = "deferred: no time left in this poll for " + key;
    LOG.info("{} ({} attempts made)", detail, attempts);
    return new Result(last == null ? SendOutcome.failed(true, null, detail) : last, attempts, true);
  }

  /** The policy it delivers with. */
  public DeliveryPolicy policy() {
    return policy;
  }

  /** The breaker's state for a channel (for tests and health). */
  String breakerState(String receiver, String channelId) {
    CircuitBreaker breaker = breakers.get(receiver + "/" + channelId);
    return breaker == null ? "CLOSED" : breaker.state().name();
  }
}
