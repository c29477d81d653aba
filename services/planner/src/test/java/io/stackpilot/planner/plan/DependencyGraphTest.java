package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.StackSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tiers implied by component types, declared dependsOn on top, and refused cycles. */
class DependencyGraphTest {

  static StackSpec.Component c(String name, ComponentType type, String... dependsOn) {
    return new StackSpec.Component(
        name,
        type,
        "monitoring",
        new StackSpec.Chart("https://charts.example", name, "1.0.0"),
        dependsOn.length == 0 ? null : Arrays.asList(dependsOn),
        null);
  }

  @Test
  void aSeedLikeStackIsOrderedByTier() {
    // seed 002/004: kube-prometheus-stack, Loki, Mimir, Alloy, Grafana, Sloth; declared in any
    // order
    DependencyGraph g =
        DependencyGraph.of(
            List.of(
                c("grafana", ComponentType.GRAFANA),
                c("sloth", ComponentType.SLOTH),
                c("alloy", ComponentType.ALLOY),
                c("mimir", ComponentType.MIMIR),
                c("loki", ComponentType.LOKI),
                c("kube-prometheus-stack", ComponentType.KUBE_PROMETHEUS_STACK)));

    assertThat(g.rank("kube-prometheus-stack")).isZero();
    assertThat(g.rank("loki")).isZero();
    assertThat(g.rank("mimir")).isZero();
    assertThat(g.rank("alloy")).isEqualTo(1);
    assertThat(g.rank("sloth")).isEqualTo(1);
    assertThat(g.rank("grafana")).isEqualTo(2);
    assertThat(g.dependenciesOf("alloy")).containsExactly("mimir", "loki");
    assertThat(g.dependenciesOf("grafana")).containsExactly("alloy", "mimir", "loki");
    assertThat(g.dependenciesOf("sloth")).containsExactly("kube-prometheus-stack");
    assertThat(g.inOrder())
        .extracting(StackSpec.Component::name)
        .containsExactly("mimir", "loki", "kube-prometheus-stack", "sloth", "alloy", "grafana");
  }

  @Test
  void everyCrdUserWaitsForKubePrometheusStack() {
    DependencyGraph g =
        DependencyGraph.of(
            List.of(
                c("probes", ComponentType.BLACKBOX_EXPORTER),
                c("slos", ComponentType.SLOTH),
                c("kps", ComponentType.KUBE_PROMETHEUS_STACK),
                c("thanos", ComponentType.THANOS, "kps")));
    assertThat(g.dependenciesOf("probes")).containsExactly("kps");
    assertThat(g.dependenciesOf("slos")).containsExactly("kps");
    assertThat(g.edgesOf("thanos"))
        .singleElement()
        .satisfies(e -> assertThat(e.declared()).isTrue());
    assertThat(g.rank("thanos")).isEqualTo(1);
  }

  @Test
  void grafanaWaitsForStorageEvenWithoutACollector() {
    DependencyGraph g =
        DependencyGraph.of(
            List.of(
                c("grafana", ComponentType.GRAFANA),
                c("tempo", ComponentType.TEMPO),
                c("pyroscope", ComponentType.PYROSCOPE)));
    assertThat(g.rank("grafana")).isEqualTo(1);
    assertThat(g.dependenciesOf("grafana")).containsExactly("tempo", "pyroscope");
  }

  @Test
  void ntfyAndOtherAreOrderedOnlyByDependsOn() {
    DependencyGraph g =
        DependencyGraph.of(
            List.of(
                c("ntfy", ComponentType.NTFY),
                c("grafana", ComponentType.GRAFANA, "ntfy"),
                c("extra", ComponentType.OTHER),
                c("loki", ComponentType.LOKI)));
    assertThat(g.rank("ntfy")).isZero();
    assertThat(g.rank("extra")).isZero();
    assertThat(g.rank("grafana")).isEqualTo(1);
    assertThat(g.dependenciesOf("grafana")).containsExactly("ntfy", "loki");
  }

  @Test
  void implicitEdgesJoinOnlyComponentsInTheStack() {
    DependencyGraph g =
        DependencyGraph.of(
            List.of(c("sloth", ComponentType.SLOTH), c("alloy", ComponentType.ALLOY)));
    assertThat(g.rank("sloth")).isZero();
    assertThat(g.rank("alloy")).isZero();
  }

  @Test
  void aDeclaredEdgeAgainstATierIsACycleNamingBoth() {
    // seed 002 lets Loki wait for kube-prometheus-stack's Grafana; a standalone Grafana waits for
    // Loki, so "loki dependsOn grafana" closes a loop
    assertThatThrownBy(
            () ->
                DependencyGraph.of(
                    List.of(
                        c("grafana", ComponentType.GRAFANA),
                        c("loki", ComponentType.LOKI, "grafana"))))
        .isInstanceOfSatisfying(
            SpecException.class,
            e -> {
              assertThat(e.violations())
                  .singleElement()
                  .satisfies(
                      v -> {
                        assertThat(v.field()).isEqualTo("stack.spec.components[1].dependsOn");
                        assertThat(v.message())
                            .startsWith("dependency cycle: loki -> grafana -> loki")
                            .contains("grafana -> loki (storage backends before grafana)");
                      });
            });
  }

  @Test
  void aLongerCycleIsNamedFromTheFirstDeclaringComponent() {
    assertThatThrownBy(
            () ->
                DependencyGraph.of(
                    List.of(
                        c("mimir", ComponentType.MIMIR, "x"),
                        c("alloy", ComponentType.ALLOY),
                        c("x", ComponentType.OTHER, "alloy"))))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(
            "stack.spec.components[0].dependsOn: dependency cycle: mimir -> x -> alloy -> mimir");
  }

  @Test
  void aSelfDependencyIsACycle() {
    assertThatThrownBy(() -> DependencyGraph.of(List.of(c("a", ComponentType.OTHER, "a"))))
        .isInstanceOf(SpecException.class)
        .hasMessage("stack.spec.components[0].dependsOn: dependency cycle: a -> a");
  }

  @Test
  void anUnknownDependencyIsNamed() {
    assertThatThrownBy(() -> DependencyGraph.of(List.of(c("a", ComponentType.OTHER, "b"))))
        .isInstanceOf(SpecException.class)
        .hasMessage("stack.spec.components[0].dependsOn[0]: no component named 'b'");
  }

  @Test
  void aDeclaredEdgeThatRepeatsATierCountsOnce() {
    DependencyGraph g =
        DependencyGraph.of(
            List.of(c("loki", ComponentType.LOKI), c("alloy", ComponentType.ALLOY, "loki")));
    assertThat(g.edgesOf("alloy"))
        .singleElement()
        .satisfies(e -> assertThat(e.declared()).isTrue());
  }
}
