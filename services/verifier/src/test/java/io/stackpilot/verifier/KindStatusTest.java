package io.stackpilot.verifier;

import static io.stackpilot.verifier.KubeObjects.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.HealthStatus;
import org.junit.jupiter.api.Test;

/** Each kind's rules, as kstatus states them (Current, InProgress, Failed). */
class KindStatusTest {

  @Test
  void aControllerThatHasNotObservedTheCurrentGenerationIsInProgressWhateverTheReplicasSay() {
    KindStatus.Status stale = KindStatus.of(KubeObjects.statefulSet("mimir-ingester", 2, 1, 3, 3));
    KindStatus.Status seen = KindStatus.of(KubeObjects.statefulSet("mimir-ingester", 2, 2, 3, 3));

    assertThat(stale)
        .isEqualTo(KindStatus.Status.inProgress("generation 2 not observed yet (observed 1)"));
    assertThat(seen).isEqualTo(KindStatus.Status.current("3/3 ready"));
  }

  @Test
  void aStatefulSetIsCurrentOnlyWithEveryReplicaReadyOnTheUpdateRevision() {
    assertThat(KindStatus.of(KubeObjects.statefulSet("mimir-ingester", 1, 1, 3, 0)))
        .isEqualTo(KindStatus.Status.inProgress("0/3 ready"));
    var rolling = KubeObjects.statefulSet("mimir-ingester", 1, 1, 3, 3);
    rolling.setAdditionalProperty(
        "status",
        parse(
                """
                apiVersion: v1
                kind: X
                status: {observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3,
                         updatedReplicas: 1, currentRevision: a, updateRevision: b}
                """)
            .get("status"));
    assertThat(KindStatus.of(rolling).health()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(KindStatus.of(rolling).message()).isEqualTo("rolling update to b");
    var noStatus =
        parse(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: loki, namespace: loki, generation: 1}
            spec: {replicas: 1}
            """);
    assertThat(KindStatus.of(noStatus))
        .isEqualTo(KindStatus.Status.inProgress("not observed by its controller yet"));
  }

  @Test
  void aDeploymentFollowsKstatusOrderUpdatedThenAvailableThenReady() {
    assertThat(KindStatus.of(KubeObjects.deployment("mimir-querier", 1, 1, 2, 2, 1)))
        .isEqualTo(KindStatus.Status.inProgress("1/2 updated"));
    assertThat(KindStatus.of(KubeObjects.deployment("mimir-querier", 1, 1, 2, 1, 2)))
        .isEqualTo(KindStatus.Status.inProgress("1/2 available"));
    assertThat(KindStatus.of(KubeObjects.deployment("mimir-querier", 1, 1, 2, 2, 2)))
        .isEqualTo(KindStatus.Status.current("2/2 ready"));
    var stuck =
        parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: grafana, namespace: grafana, generation: 3}
            spec: {replicas: 1}
            status:
              observedGeneration: 3
              conditions:
              - {type: Progressing, status: "False", reason: ProgressDeadlineExceeded,
                 message: ReplicaSet "grafana-5d9" has timed out progressing.}
            """);
    assertThat(KindStatus.of(stuck).health()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(KindStatus.of(stuck).message()).startsWith("progress deadline exceeded");
  }

  @Test
  void aDaemonSetCountsDesiredUpdatedAndAvailableNodes() {
    var unavailable =
        parse(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: alloy, namespace: alloy, generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 3, currentNumberScheduled: 3,
                     updatedNumberScheduled: 3, numberReady: 0, numberUnavailable: 3}
            """);
    var ready =
        parse(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: alloy, namespace: alloy, generation: 1}
            status: {observedGeneration: 1, desiredNumberScheduled: 3, currentNumberScheduled: 3,
                     updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3}
            """);
    var unobserved =
        parse(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: alloy, namespace: alloy, generation: 1}
            status: {desiredNumberScheduled: 3}
            """);
    assertThat(KindStatus.of(unavailable)).isEqualTo(KindStatus.Status.inProgress("0/3 available"));
    assertThat(KindStatus.of(ready)).isEqualTo(KindStatus.Status.current("3/3 ready"));
    assertThat(KindStatus.of(unobserved).health()).isEqualTo(HealthStatus.PROGRESSING);
  }

  @Test
  void podsInCrashLoopOomKilledOrImagePullBackOffAreFailedWithTheirRestarts() {
    assertThat(
            KindStatus.of(
                KubeObjects.crashingPod(
                    "mimir-ingester-0", "ingester", "CrashLoopBackOff", "Error", 5)))
        .isEqualTo(KindStatus.Status.failed("CrashLoopBackOff (restarts 5): boom"));
    assertThat(
            KindStatus.of(
                KubeObjects.crashingPod(
                    "mimir-ingester-0", "ingester", "CrashLoopBackOff", "OOMKilled", 2)))
        .isEqualTo(KindStatus.Status.failed("OOMKilled (restarts 2)"));
    var pulling =
        parse(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: tempo-0, namespace: tempo}
            status:
              phase: Pending
              containerStatuses:
              - {name: tempo, image: "grafana/tempo:9.9", restartCount: 0,
                 state: {waiting: {reason: ImagePullBackOff}}}
            """);
    assertThat(KindStatus.of(pulling))
        .isEqualTo(KindStatus.Status.failed("ImagePullBackOff grafana/tempo:9.9"));
  }

  @Test
  void anUnschedulablePodAndAPendingClaimAreInProgressWithTheirReason() {
    var unscheduled =
        parse(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: loki-0, namespace: loki}
            status:
              phase: Pending
              conditions: [{type: PodScheduled, status: "False", reason: Unschedulable,
                            message: pod has unbound immediate PersistentVolumeClaims.}]
            """);
    var pending =
        parse(
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: storage-loki-0, namespace: loki}
            status: {phase: Pending}
            """);
    var bound =
        parse(
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: storage-loki-0, namespace: loki}
            status: {phase: Bound}
            """);
    var running =
        parse(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: loki-0, namespace: loki}
            status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            """);
    assertThat(KindStatus.of(unscheduled))
        .isEqualTo(
            KindStatus.Status.inProgress(
                "not scheduled (Unschedulable: pod has unbound immediate PersistentVolumeClaims.)"));
    assertThat(KindStatus.of(pending)).isEqualTo(KindStatus.Status.inProgress("Pending"));
    assertThat(KindStatus.of(bound)).isEqualTo(KindStatus.Status.current("Bound"));
    assertThat(KindStatus.of(running)).isEqualTo(KindStatus.Status.current("Ready"));
  }

  @Test
  void aHelmReleaseIsCurrentWhenReadyForItsCurrentGeneration() {
    assertThat(KindStatus.of(helmRelease(2, 2, "True", "UpgradeSucceeded")))
        .isEqualTo(KindStatus.Status.current("Ready (UpgradeSucceeded: done)"));
    assertThat(KindStatus.of(helmRelease(3, 2, "True", "UpgradeSucceeded")))
        .isEqualTo(KindStatus.Status.inProgress("generation 3 not observed yet (observed 2)"));
    assertThat(KindStatus.of(helmRelease(2, 2, "False", "UpgradeFailed")))
        .isEqualTo(KindStatus.Status.failed("Ready False (UpgradeFailed: done)"));
    assertThat(KindStatus.of(helmRelease(2, 2, "Unknown", "Progressing")).health())
        .isEqualTo(HealthStatus.PROGRESSING);
    var stalled =
        parse(
            """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: mimir, namespace: mimir, generation: 1}
            status:
              observedGeneration: 1
              conditions:
              - {type: Stalled, status: "True", reason: RetriesExceeded, message: "out of retries"}
              - {type: Ready, status: "False", reason: UpgradeFailed}
            """);
    assertThat(KindStatus.of(stalled))
        .isEqualTo(KindStatus.Status.failed("Stalled (RetriesExceeded: out of retries)"));
  }

  @Test
  void anApplicationIsCurrentWhenHealthyAndSynced() {
    assertThat(KindStatus.of(application("Healthy", "Synced", "")))
        .isEqualTo(KindStatus.Status.current("Healthy, Synced"));
    assertThat(KindStatus.of(application("Healthy", "OutOfSync", "")))
        .isEqualTo(KindStatus.Status.inProgress("Healthy, sync OutOfSync"));
    assertThat(KindStatus.of(application("Degraded", "Synced", "thanos-store: 0/1 ready")))
        .isEqualTo(KindStatus.Status.failed("Degraded (thanos-store: 0/1 ready)"));
    assertThat(KindStatus.of(application("Missing", "OutOfSync", "")).health())
        .isEqualTo(HealthStatus.DEGRADED);
    assertThat(KindStatus.of(application("Progressing", "Synced", "")).health())
        .isEqualTo(HealthStatus.PROGRESSING);
  }

  static io.fabric8.kubernetes.api.model.GenericKubernetesResource helmRelease(
      long generation, long observed, String ready, String reason) {
    return parse(
        """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: mimir, namespace: mimir, generation: %d}
        status:
          observedGeneration: %d
          conditions: [{type: Ready, status: "%s", reason: %s, message: done}]
        """
            .formatted(generation, observed, ready, reason));
  }

  static io.fabric8.kubernetes.api.model.GenericKubernetesResource application(
      String health, String sync, String message) {
    return parse(
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: thanos, namespace: argocd, generation: 4}
        status:
          health: {status: %s, message: "%s"}
          sync: {status: %s}
        """
            .formatted(health, message, sync));
  }
}
