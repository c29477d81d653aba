package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.HealthStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The digest check and the component's health make one verdict; the deadline settles it. */
class StepVerdictTest {
  static final HealthAssessment.Verdict DIGEST_OK =
      new HealthAssessment.Verdict(
          HealthStatus.HEALTHY, "all 2 objects present with digest sha256:d", List.of());

  static final ComponentHealth.Result SLOW =
      new ComponentHealth.Result(
          HealthStatus.PROGRESSING,
          "StatefulSet loki: 0/1 ready",
          List.of(
              new HealthAssessment.ObjectVerdict(
                  io.stackpilot.events.ResourceRef.newBuilder()
                      .setApiVersion("apps/v1")
                      .setKind("StatefulSet")
                      .setNamespace("loki")
                      .setName("loki")
                      .build(),
                  HealthStatus.PROGRESSING,
                  "0/1 ready")));

  @Test
  void aComponentStillProgressingAtItsDeadlineIsDegradedWithTheReason() {
    HealthAssessment.Verdict before = StepVerifier.combine(DIGEST_OK, Optional.of(SLOW), false);
    HealthAssessment.Verdict after = StepVerifier.combine(DIGEST_OK, Optional.of(SLOW), true);

    assertThat(before.health()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(after.health()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(after.reason()).isEqualTo("StatefulSet loki: 0/1 ready");
    assertThat(after.objects()).hasSize(1);
  }

  @Test
  void aMissingObjectDecidesOverAHealthyComponentAndAnUnsyncedWatchIsUnknown() {
    HealthAssessment.Verdict missing =
        new HealthAssessment.Verdict(HealthStatus.MISSING, "1 of 2 objects missing", List.of());
    ComponentHealth.Result healthy =
        new ComponentHealth.Result(HealthStatus.HEALTHY, "1 release ready", List.of());

    assertThat(StepVerifier.combine(missing, Optional.of(healthy), true))
        .extracting(HealthAssessment.Verdict::health, HealthAssessment.Verdict::reason)
        .containsExactly(HealthStatus.MISSING, "1 of 2 objects missing");
    assertThat(StepVerifier.combine(DIGEST_OK, Optional.empty(), true).health())
        .isEqualTo(HealthStatus.UNKNOWN);
  }
}
