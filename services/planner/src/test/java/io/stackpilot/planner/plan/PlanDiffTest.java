package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.ComponentChange;
import io.stackpilot.events.StepAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PlanDiffTest {
  public static final Plan FULL =
      new Plan(
          List.of(
              new Plan.Wave(0, "canary", List.of("a"), 0),
              new Plan.Wave(1, "batch-1", List.of("b", "c"), 30)),
          List.of(
              step("a", "loki", 0, "6.0.0", "d-loki"),
              step("a", "alloy", 1, "1.4.0", "d-alloy"),
              step("b", "loki", 0, "6.0.0", "d-loki"),
              step("b", "alloy", 1, "1.4.0", "d-alloy"),
              step("c", "loki", 0, "6.0.0", "d-loki"),
              step("c", "alloy", 1, "1.4.0", "d-alloy")));

  @Test
  void nothingRunningInstallsEverything() {
    PlanDiff.Diffed diffed = PlanDiff.diff(FULL, Map.of());

    assertThat(diffed.plan().steps()).hasSize(6);
    assertThat(diffed.entries())
        .extracting(PlanDiff.Entry::change)
        .containsOnly(ComponentChange.INSTALL);
  }

  @Test
  void whatAlreadyRunsIsLeftOutAndAnUnchangedSpecPlansNothing() {
    Map<String, Map<String, PlanDiff.Deployed>> running =
        Map.of("a", same(), "b", same(), "c", same());

    PlanDiff.Diffed diffed = PlanDiff.diff(FULL, running);

    assertThat(diffed.unchanged()).isTrue();
    assertThat(diffed.plan().waves()).isEmpty();
    assertThat(diffed.entries()).isEmpty();
  }

  @Test
  void eachChangeIsNamedAndClustersWithoutChangesLeaveTheirWave() {
    Map<String, Map<String, PlanDiff.Deployed>> running =
        Map.of(
            "a", same(),
            "b",
                Map.of(
                    "loki", new PlanDiff.Deployed("d-old", "5.9.0", "lgtm"),
                    "alloy", new PlanDiff.Deployed("d-old2", "1.4.0", "lgtm"),
                    "pyroscope", new PlanDiff.Deployed("d-pyro", "1.16.0", "profiles")),
            "c", same());

    PlanDiff.Diffed diffed = PlanDiff.diff(FULL, running);

    // the canary changes nothing: batch-1 becomes wave 0, with cluster b alone
    assertThat(diffed.plan().waves())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.index()).isZero();
              assertThat(w.name()).isEqualTo("batch-1");
              assertThat(w.clusters()).containsExactly("b");
              assertThat(w.soakSeconds()).isEqualTo(30);
            });
    assertThat(diffed.entries())
        .extracting(e -> e.component() + ":" + e.change())
        .containsExactly("loki:UPGRADE", "alloy:RECONFIGURE", "pyroscope:REMOVE");
    Plan.Step prune = diffed.plan().steps().get(2);
    assertThat(prune.action()).isEqualTo(StepAction.PRUNE);
    assertThat(prune.stepId()).isEqualTo("r1/b/pyroscope");
    assertThat(prune.namespace()).isEqualTo("profiles");
    assertThat(prune.order()).isGreaterThan(1);
    assertThat(diffed.plan().steps()).allSatisfy(s -> assertThat(s.waveIndex()).isZero());
    assertThat(diffed.plan().steps().get(0).previousDigest()).isEqualTo("d-old");
  }

  private static Map<String, PlanDiff.Deployed> same() {
    return Map.of(
        "loki", new PlanDiff.Deployed("d-loki", "6.0.0", "lgtm"),
        "alloy", new PlanDiff.Deployed("d-alloy", "1.4.0", "lgtm"));
  }

  public static Plan.Step step(
      String cluster, String component, int order, String version, String digest) {
    return new Plan.Step(
        "r1/" + cluster + "/" + component,
        cluster.equals("a") ? 0 : 1,
        cluster,
        cluster,
        component,
        "lgtm",
        order,
        order == 0 ? List.of() : List.of("loki"),
        "https://grafana.github.io/helm-charts",
        component,
        version,
        Map.of("k", "v"),
        digest);
  }
}
