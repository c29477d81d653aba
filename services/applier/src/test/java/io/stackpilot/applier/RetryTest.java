package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stackpilot.kube.ApiFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retry loop with a fake clock and sleeper: no real waiting, jitter fixed. */
class RetryTest {
  static final RetryPolicy POLICY =
      new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(60));

  final MutableClock clock = new MutableClock();
  final List<Duration> slept = new ArrayList<>();
  final Retry retry = new Retry(POLICY, clock, this::sleep, () -> 0.5);

  @Test
  void transientFailuresAreRetriedWithGrowingWaitsUntilOneSucceeds() {
    Script script = new Script(RetryTest::serverError, RetryTest::serverError, null);

    Retry.Result result = retry.run("test", script);

    assertThat(result.failure()).isEmpty();
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void aPermanentFailureEndsAtTheFirstAttempt() {
    Script script = new Script(() -> status(403), null);

    Retry.Result result = retry.run("test", script);

    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.failure().orElseThrow().classified().reason())
        .isEqualTo(ApiFailure.Reason.FORBIDDEN);
    assertThat(slept).isEmpty();
  }

  @Test
  void anUnreachableClusterFailsAfterMaxAttemptsAsRetriable() {
    Script script = new Script();
    script.always = () -> new KubernetesClientException("refused", new ConnectException("no"));

    Retry.Result result = retry.run("test", script);

    assertThat(result.attempts()).isEqualTo(5);
    ApiFailure failure = result.failure().orElseThrow().classified();
    assertThat(failure.reason()).isEqualTo(ApiFailure.Reason.UNREACHABLE);
    assertThat(failure.retriable()).isTrue();
    assertThat(slept).hasSize(4);
  }

  @Test
  void anAttemptThatMadeProgressStartsTheCountAgain() {
    Script script = new Script();
    script.always = RetryTest::serverError;
    script.progressEvery = 2; // every second failed attempt still completed an object

    Retry.Result result = retry.run("test", script);

    assertThat(result.attempts()).as("more than 5, as it kept making progress").isGreaterThan(5);
    assertThat(slept).doesNotContain(Duration.ofMillis(400)).contains(Duration.ofMillis(100));
  }

  @Test
  void theDeadlineEndsTheRetries() {
    Script script = new Script();
    script.always =
        () -> {
          clock.advance(Duration.ofSeconds(25)); // each attempt is a slow timeout
          return new KubernetesClientException("slow", new java.net.SocketTimeoutException("t"));
        };

    Retry.Result result = retry.run("test", script);

    assertThat(result.attempts()).isEqualTo(3);
    assertThat(result.failure().orElseThrow().classified().reason())
        .isEqualTo(ApiFailure.Reason.TIMEOUT);
    assertThat(script.deadlines).allMatch(d -> d.equals(Instant.EPOCH.plusSeconds(60)));
  }

  @Test
  void aRetryAfterInTheStatusIsHonoured() {
    KubernetesClientException throttled =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(429)
                .withNewDetails()
                .withRetryAfterSeconds(3)
                .endDetails()
                .build());
    Script script = new Script(() -> throttled, null);

    Retry.Result result = retry.run("test", script);

    assertThat(result.failure()).isEmpty();
    assertThat(slept).containsExactly(Duration.ofSeconds(3));
    assertThat(Retry.retryAfter(new IOException("x"))).isZero();
  }

  @Test
  void failuresAreReportedBeforeTheNextAttempt() {
    Script script = new Script(() -> status(500), () -> status(504), null);

    retry.run("test", script);

    assertThat(script.failures)
        .extracting(ApiFailure::reason)
        .containsExactly(ApiFailure.Reason.SERVER_ERROR, ApiFailure.Reason.SERVER_ERROR);
  }

  private void sleep(Duration d) {
    slept.add(d);
    clock.advance(d);
  }

  static RuntimeException serverError() {
    return status(500);
  }

  static RuntimeException status(int code) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage("code " + code).build());
  }

  /** Attempts that fail as scripted (null: succeed), then as {@code always}, if set. */
  static final class Script implements Retry.Attempts {
    final Deque<Supplier<RuntimeException>> outcomes = new ArrayDeque<>();
    final List<Instant> deadlines = new ArrayList<>();
    final List<ApiFailure> failures = new ArrayList<>();
    Supplier<RuntimeException> always;
    int progressEvery;
    int attempts;
    int completed;

    @SafeVarargs
    Script(Supplier<RuntimeException>... outcomes) {
      for (Supplier<RuntimeException> outcome : outcomes) {
        this.outcomes.add(outcome == null ? () -> null : outcome);
      }
    }

    @Override
    public void attempt(Instant deadline) {
      attempts++;
      deadlines.add(deadline);
      if (progressEvery > 0 && attempts % progressEvery == 0) {
        completed++;
      }
      if (progressEvery > 0 && attempts > 20) {
        return; // enough: succeed
      }
      Supplier<RuntimeException> next = outcomes.isEmpty() ? always : outcomes.poll();
      RuntimeException failure = next == null ? null : next.get();
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public int completed() {
      return completed;
    }

    @Override
    public void failed(ApiFailure failure) {
      failures.add(failure);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.EPOCH;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
