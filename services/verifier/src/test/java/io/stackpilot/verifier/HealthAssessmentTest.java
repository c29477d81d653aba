package io.stackpilot.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict is the worst of the objects': missing beats unknown beats degraded. */
class HealthAssessmentTest {
  final HealthAssessment assessment = new HealthAssessment();
  final ResourceRef ns = new ResourceRef("v1", "Namespace", null, "lgtm-system", "1");
  final ResourceRef cm = new ResourceRef("v1", "ConfigMap", "lgtm-system", "stackpilot-loki", "2");

  @Test
  void allPresentWithTheAppliedDigestIsHealthy() {
    var verdict =
        assessment.assess(
            "sha256:a",
            List.of(
                new HealthAssessment.Observed(ns, true, Map.of(), null),
                new HealthAssessment.Observed(
                    cm, true, Map.of(HealthAssessment.DIGEST_ANNOTATION, "sha256:a"), null)));
    assertThat(verdict.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(verdict.reason()).contains("all 2 objects");
  }

  @Test
  void anotherDigestIsDegradedAndAMissingObjectWins() {
    var drifted =
        new HealthAssessment.Observed(
            cm, true, Map.of(HealthAssessment.DIGEST_ANNOTATION, "sha256:b"), null);
    assertThat(assessment.assess("sha256:a", List.of(drifted)).health())
        .isEqualTo(HealthStatus.DEGRADED);

    var missing = new HealthAssessment.Observed(ns, false, null, null);
    var unreadable = new HealthAssessment.Observed(ns, false, null, "Timeout: read timed out");
    assertThat(assessment.assess("sha256:a", List.of(drifted, unreadable)).health())
        .isEqualTo(HealthStatus.UNKNOWN);
    var verdict = assessment.assess("sha256:a", List.of(drifted, unreadable, missing));
    assertThat(verdict.health()).isEqualTo(HealthStatus.MISSING);
    assertThat(verdict.reason()).isEqualTo("3 of 3 objects missing");
  }

  @Test
  void afterAPruneEveryObjectAbsentIsHealthy() {
    var verdict =
        assessment.assessPruned(
            List.of(
                new HealthAssessment.Observed(ns, false, null, null),
                new HealthAssessment.Observed(cm, false, null, null)));
    assertThat(verdict.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(verdict.reason()).isEqualTo("pruned: 2 objects absent");
    assertThat(verdict.objects()).allSatisfy(o -> assertThat(o.message()).isEqualTo("absent"));
    assertThat(assessment.assessPruned(List.of()).reason()).isEqualTo("pruned: 0 objects absent");
  }

  @Test
  void afterAPruneDeletingIsProgressingPresentIsDegradedAndUnreadableIsUnknown() {
    var deleting = new HealthAssessment.Observed(cm, true, Map.of(), null, "2026-11-21T08:00:00Z");
    var present =
        new HealthAssessment.Observed(
            cm, true, Map.of(HealthAssessment.DIGEST_ANNOTATION, "sha256:a"), null);
    var gone = new HealthAssessment.Observed(ns, false, null, null);
    var unreadable = new HealthAssessment.Observed(ns, false, null, "Timeout: read timed out");

    var progressing = assessment.assessPruned(List.of(gone, deleting));
    assertThat(progressing.health()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(progressing.reason()).isEqualTo("pruned: 1 of 2 objects not absent (progressing)");
    assertThat(progressing.objects().get(1).message())
        .isEqualTo("being deleted since 2026-11-21T08:00:00Z");

    var degraded = assessment.assessPruned(List.of(gone, deleting, present));
    assertThat(degraded.health()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(degraded.objects().get(2).message()).isEqualTo("still present after prune");

    assertThat(assessment.assessPruned(List.of(present, unreadable)).health())
        .isEqualTo(HealthStatus.UNKNOWN);
  }
}
