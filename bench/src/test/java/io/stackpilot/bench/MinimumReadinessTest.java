package io.stackpilot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The baseline's minimum check says ready only for a release Ready at its generation and workloads
 * with their replicas ready, and ProcessCpu reads this process's CPU time.
 */
class MinimumReadinessTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void aReleaseIsReadyOnlyWhenReadyTrueForItsGeneration() {
    assertThat(MinimumReadiness.releaseReady(release(2, 2, "True"))).isTrue();
    assertThat(MinimumReadiness.releaseReady(release(2, 1, "True"))).isFalse();
    assertThat(MinimumReadiness.releaseReady(release(2, 2, "False"))).isFalse();
    assertThat(MinimumReadiness.releaseReady(parse("kind: HelmRelease\nmetadata: {name: r}")))
        .isFalse();
  }

  @Test
  void aWorkloadIsReadyWithItsReplicasReadyAndItsGenerationObserved() {
    assertThat(MinimumReadiness.workloadReady(deployment(1, 1, 2, 2))).isTrue();
    assertThat(MinimumReadiness.workloadReady(deployment(1, 1, 2, 1))).isFalse();
    assertThat(MinimumReadiness.workloadReady(deployment(2, 1, 2, 2))).isFalse();
    assertThat(
            MinimumReadiness.workloadReady(daemonSet("desiredNumberScheduled: 3, numberReady: 3")))
        .isTrue();
    assertThat(MinimumReadiness.workloadReady(daemonSet("numberReady: 3"))).isFalse();
    assertThat(MinimumReadiness.ofRelease(deployment(1, 1, 1, 1), "loki")).isTrue();
    assertThat(MinimumReadiness.ofRelease(deployment(1, 1, 1, 1), "tempo")).isFalse();
  }

  @Test
  void processCpuIsReadFromProc() throws Exception {
    assertThat(ProcessCpu.seconds(ProcessHandle.current().pid())).isPositive();
  }

  private static GenericKubernetesResource release(long generation, long observed, String ready) {
    return parse(
        """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: loki, namespace: bench, generation: %d}
        status:
          observedGeneration: %d
          conditions: [{type: Ready, status: "%s"}]
        """
            .formatted(generation, observed, ready));
  }

  private static GenericKubernetesResource deployment(
      long generation, long observed, int replicas, int ready) {
    return parse(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: loki, namespace: bench, generation: %d,
                   labels: {app.kubernetes.io/instance: loki}}
        spec: {replicas: %d}
        status: {observedGeneration: %d, readyReplicas: %d}
        """
            .formatted(generation, replicas, observed, ready));
  }

  private static GenericKubernetesResource daemonSet(String status) {
    return parse(
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: alloy, namespace: bench, generation: 1}
        status: {observedGeneration: 1, %s}
        """
            .formatted(status));
  }

  private static GenericKubernetesResource parse(String yaml) {
    return YAML.unmarshal(yaml, GenericKubernetesResource.class);
  }
}
