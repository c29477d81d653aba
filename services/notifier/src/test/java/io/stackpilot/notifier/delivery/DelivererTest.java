package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retries with backoff only for retryable failures, the rate limit, and the circuit breaker. */
class DelivererTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  final MovingClock clock = new MovingClock(T0);
  final List<Duration> waits = new ArrayList<>();
  final Sleeper sleeper =
      d -> {
        waits.add(d);
        clock.advance(d);
      };

  /** A channel that answers from a script and notes when each attempt came and with which id. */
  final class Scripted implements Channel {
    final Deque<SendOutcome> answers = new ArrayDeque<>();
    final List<Instant> attempts = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    SendOutcome otherwise = SendOutcome.delivered(200, null);

    @Override
    public String receiver() {
      return "ops";
    }

    @Override
    public String id() {
      return "webhook/0";
    }

    @Override
    public io.stackpilot.events.Channel kind() {
      return io.stackpilot.events.Channel.WEBHOOK;
    }

    @Override
    public SendOutcome send(Notification notification, String notificationId) {
      attempts.add(clock.instant());
      ids.add(notificationId);
      return answers.isEmpty() ? otherwise : answers.poll();
    }
  }

  static final Notification N =
      new Notification(
          "ops",
          "{}:{alertname=\"X\"}",
          Map.of("alertname", "X"),
          List.of(Alert.firing(Map.of("alertname", "X"), T0)),
          List.of(),
          T0);

  DeliveryPolicy policy(int attempts, double rate, int burst, int breaker) {
    return new DeliveryPolicy(
        attempts,
        Duration.ofMillis(100),
        Duration.ofMillis(350),
        rate,
        burst,
        breaker,
        Duration.ofSeconds(30));
  }

  @Test
  void retryableFailuresAreRetriedWithDoublingCappedBackoffAndTheSameId() throws Exception {
    Scripted channel = new Scripted();
    channel.answers.add(SendOutcome.failed(true, 503, "HTTP 503"));
    channel.answers.add(SendOutcome.failed(true, 503, "HTTP 503"));
    channel.answers.add(SendOutcome.failed(true, null, "HttpTimeoutException"));
    Deliverer deliverer = new Deliverer(policy(5, 1000, 1000, 5), clock, sleeper);

    Deliverer.Result result = deliverer.deliver(channel, N, "n-1");

    assertThat(result.delivered()).isTrue();
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(waits)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350));
    assertThat(channel.ids).containsOnly("n-1").hasSize(4);
  }

  @Test
  void aRefusalIsNotRetriedAndTheLastAttemptSaysWhy() throws Exception {
    Scripted refusing = new Scripted();
    refusing.otherwise = SendOutcome.failed(false, 400, "HTTP 400");
    Deliverer deliverer = new Deliverer(policy(5, 1000, 1000, 5), clock, sleeper);

    Deliverer.Result refused = deliverer.deliver(refusing, N, "n-1");

    assertThat(refused.delivered()).isFalse();
    assertThat(refused.attempts()).isOne();
    assertThat(refused.outcome().retryable()).isFalse();
    assertThat(waits).isEmpty();

    Scripted down = new Scripted();
    down.otherwise = SendOutcome.failed(true, 503, "HTTP 503");
    Deliverer.Result exhausted =
        new Deliverer(policy(3, 1000, 1000, 5), clock, sleeper).deliver(down, N, "n-2");
    assertThat(exhausted.attempts()).isEqualTo(3);
    assertThat(exhausted.outcome().detail()).isEqualTo("HTTP 503");
    assertThat(exhausted.outcome().retryable()).isTrue();
  }

  @Test
  void theRateLimitLetsABurstThroughThenSpacesAttempts() throws Exception {
    Scripted channel = new Scripted();
    Deliverer deliverer = new Deliverer(policy(1, 2, 3, 5), clock, sleeper);

    for (int i = 0; i < 6; i++) {
      deliverer.deliver(channel, N, "n-" + i);
    }

    // 3 at once (the burst), then one every 500 ms (2 per second)
    assertThat(channel.attempts)
        .containsExactly(T0, T0, T0, T0.plusMillis(500), T0.plusMillis(1000), T0.plusMillis(1500));
  }

  @Test
  void theBreakerOpensAfterConsecutiveFailuresRefusesThenLetsOneTrialThrough() throws Exception {
    Scripted channel = new Scripted();
    channel.otherwise = SendOutcome.failed(true, 503, "HTTP 503");
    Deliverer deliverer = new Deliverer(policy(1, 1000, 1000, 3), clock, sleeper);

    for (int i = 0; i < 3; i++) {
      assertThat(deliverer.deliver(channel, N, "n-" + i).attempts()).isOne();
    }
    assertThat(deliverer.breakerState("ops", "webhook/0")).isEqualTo("OPEN");
    Deliverer.Result refused = deliverer.deliver(channel, N, "n-3");
    assertThat(refused.attempts()).isZero();
    assertThat(refused.outcome().detail()).startsWith("circuit open");
    assertThat(channel.attempts).hasSize(3);

    clock.advance(Duration.ofSeconds(30));
    assertThat(deliverer.deliver(channel, N, "n-4").attempts()).isOne(); // the trial fails
    assertThat(deliverer.breakerState("ops", "webhook/0")).isEqualTo("OPEN");
    assertThat(deliverer.deliver(channel, N, "n-5").attempts()).isZero();

    clock.advance(Duration.ofSeconds(30));
    channel.otherwise = SendOutcome.delivered(200, null);
    assertThat(deliverer.deliver(channel, N, "n-6").delivered()).isTrue();
    assertThat(deliverer.breakerState("ops", "webhook/0")).isEqualTo("CLOSED");
    assertThat(channel.attempts).hasSize(5);
  }

  @Test
  void aSlowReceiverCannotKeepThePollThreadPastTheDeadlineByMoreThanOneAttempt() throws Exception {
    // each attempt times out after 10 s; 5 attempts would take 50 s and more, the budget is 15 s
    Scripted slow = new Scripted();
    slow.otherwise = SendOutcome.failed(true, null, "no answer within 10000 ms");
    Channel timingOut =
        new Channel() {
          @Override
          public String receiver() {
            return slow.receiver();
          }

          @Override
          public String id() {
            return slow.id();
          }

          @Override
          public io.stackpilot.events.Channel kind() {
            return slow.kind();
          }

          @Override
          public SendOutcome send(Notification notification, String notificationId) {
            SendOutcome outcome = slow.send(notification, notificationId);
            clock.advance(Duration.ofSeconds(10));
            return outcome;
          }
        };
    Deliverer deliverer = new Deliverer(policy(5, 100, 100, 100), clock, sleeper);
    Instant deadline = T0.plusSeconds(15);

    Deliverer.Result r = deliverer.deliver(timingOut, N, "id-1", deadline);

    assertThat(r.deferred()).isTrue();
    assertThat(r.delivered()).isFalse();
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(clock.instant()).isBeforeOrEqualTo(deadline.plusSeconds(10));
    assertThat(deliverer.breakerState("ops", "webhook/0"))
        .as("a deferral is not the receiver's failure")
        .isEqualTo("CLOSED");
  }

  @Test
  void nothingIsTriedOnceTheDeadlineHasPassed() throws Exception {
    Scripted channel = new Scripted();
    Deliverer deliverer = new Deliverer(policy(3, 100, 100, 1), clock, sleeper);

    Deliverer.Result r = deliverer.deliver(channel, N, "id-1", T0);

    assertThat(r.deferred()).isTrue();
    assertThat(r.attempts()).isZero();
    assertThat(channel.attempts).isEmpty();
  }
}
