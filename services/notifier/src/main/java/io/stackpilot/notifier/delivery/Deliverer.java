package io.stackpilot.notifier.delivery;

import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.time.Clock;
import java.time.Duration;
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

  /** Counter of send outcomes per channel kind. */
  public static final String DELIVERIES = "stackpilot.notifier.deliveries";

  /** What delivery gave after its last attempt; {@code attempts} is 0 when nothing was tried. */
  public record Result(SendOutcome outcome, int attempts) {
    public boolean delivered() {
      return outcome.delivered();
    }
  }

  private final DeliveryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

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
        sleeper.sleep(wait);
      }
      attempt++;
      outcome = channel.send(notification, notificationId);
      if (outcome.delivered() || !outcome.retryable() || attempt == policy.maxAttempts()) {
        break;
      }
      outcome("retried", channel);
      Duration backoff = policy.backoffAfter(attempt);
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

  /** The breaker's state for a channel (for tests and health). */
  String breakerState(String receiver, String channelId) {
    CircuitBreaker breaker = breakers.get(receiver + "/" + channelId);
    return breaker == null ? "CLOSED" : breaker.state().name();
  }
}
