package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.ApiFailure.Reason;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Full-jitter backoff, Retry-After, attempts and deadline: when a step is tried again. */
class RetryPolicyTest {
  static final RetryPolicy POLICY =
      new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(5), 5, Duration.ofSeconds(60));
  static final ApiFailure SERVER_ERROR = new ApiFailure(Reason.SERVER_ERROR, true, "boom");
  static final ApiFailure FORBIDDEN = new ApiFailure(Reason.FORBIDDEN, false, "no");
  static final Duration PLENTY = Duration.ofSeconds(60);

  @Test
  void theCeilingDoublesFromTheBaseUpToTheCap() {
    // a draw just under 1 gives the ceiling of each wait
    double top = Math.nextDown(1.0);
    assertThat(POLICY.jitter(1, top)).isEqualTo(Duration.ofMillis(200));
    assertThat(POLICY.jitter(2, top)).isEqualTo(Duration.ofMillis(400));
    assertThat(POLICY.jitter(3, top)).isEqualTo(Duration.ofMillis(800));
    assertThat(POLICY.jitter(6, top)).isEqualTo(Duration.ofMillis(5000));
    assertThat(POLICY.jitter(1_000, top)).isEqualTo(Duration.ofMillis(5000));
  }

  @Test
  void theJitterIsSpreadOverTheWholeRange() {
    assertThat(POLICY.jitter(3, 0.0)).isEqualTo(Duration.ZERO);
    assertThat(POLICY.jitter(3, 0.5)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void aTransientFailureIsRetriedUntilTheAttemptsAreUsedUp() {
    assertThat(POLICY.nextWait(SERVER_ERROR, 1, Duration.ZERO, PLENTY, 0.5))
        .contains(Duration.ofMillis(100));
    assertThat(POLICY.nextWait(SERVER_ERROR, 4, Duration.ZERO, PLENTY, 0.5)).isPresent();
    assertThat(POLICY.nextWait(SERVER_ERROR, 5, Duration.ZERO, PLENTY, 0.5)).isEmpty();
  }

  @Test
  void aPermanentFailureIsNeverRetried() {
    assertThat(POLICY.nextWait(FORBIDDEN, 1, Duration.ZERO, PLENTY, 0.5)).isEmpty();
  }

  @Test
  void aRetryAfterIsWaitedAtLeast() {
    ApiFailure throttled = new ApiFailure(Reason.THROTTLED, true, "slow down");
    assertThat(POLICY.nextWait(throttled, 1, Duration.ofSeconds(2), PLENTY, 0.5))
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void noWaitEndsAfterTheDeadline() {
    assertThat(POLICY.nextWait(SERVER_ERROR, 1, Duration.ZERO, Duration.ofMillis(50), 0.5))
        .isEmpty();
    assertThat(POLICY.nextWait(SERVER_ERROR, 1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
        .as("a Retry-After past the deadline")
        .isEmpty();
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(
            () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 5, PLENTY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ZERO, 0, PLENTY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsBindUnderStackpilotApplierRetryWithTheDefaultsForTheRest() {
    assertThat(bind(Map.of())).isEqualTo(RetryPolicy.DEFAULTS);
    assertThat(
            bind(
                Map.of(
                    "stackpilot.applier.retry.base",
                    "50ms",
                    "stackpilot.applier.retry.max-attempts",
                    "3")))
        .isEqualTo(
            new RetryPolicy(
                Duration.ofMillis(50), Duration.ofSeconds(5), 3, Duration.ofSeconds(60)));
  }

  private static RetryPolicy bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("stackpilot.applier.retry", RetryPolicy.class);
  }
}
