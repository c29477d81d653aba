package io.stackpilot.verifier;

import static io.stackpilot.verifier.KubeObjects.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.HealthStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A component's health from its release and the workloads, Pods and claims of its chart. */
class ComponentHealthTest {

  @Test
  void aCrashLoopingPodIsNamedWithItsWorkloadAndRestarts() {
    var release = KindStatusTest.helmRelease(1, 1, "False", "InstallFailed");
    var ingester = KubeObjects.statefulSet("mimir-ingester", 1, 1, 3, 0);
    var querier = KubeObjects.deployment("mimir-querier", 1, 1, 2, 2, 2);
    var pod =
        KubeObjects.crashingPod(
            "mimir-ingester-0", "mimir-ingester", "CrashLoopBackOff", "Error", 5);

    ComponentHealth.Result result =
        ComponentHealth.judge(
            new ComponentHealth.Seen(
                List.of(release), List.of(ingester, querier), List.of(pod), List.of()));

    assertThat(result.health()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.reason())
        .isEqualTo(
            "StatefulSet mimir-ingester: 0/3 ready, pod mimir-ingester-0 CrashLoopBackOff"
                + " (restarts 5): boom");
    assertThat(result.objects())
        .extracting(o -> o.ref().getKind() + "/" + o.ref().getName(), o -> o.health())
        .contains(
            org.assertj.core.groups.Tuple.tuple("Pod/mimir-ingester-0", HealthStatus.DEGRADED),
            org.assertj.core.groups.Tuple.tuple(
                "StatefulSet/mimir-ingester", HealthStatus.DEGRADED),
            org.assertj.core.groups.Tuple.tuple("Deployment/mimir-querier", HealthStatus.HEALTHY));
  }

  @Test
  void aPendingClaimIsNamedAndTheComponentIsStillProgressing() {
    var ingester = KubeObjects.statefulSet("mimir-ingester", 1, 1, 1, 0);
    var claim =
        parse(
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: storage-mimir-ingester-0, namespace: mimir,
                       labels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: mimir-ingester}}
            status:
              phase: Pending
              conditions: [{type: Pending, status: "True", reason: FailedBinding, message: no volume}]
            """);

    ComponentHealth.Result result =
        ComponentHealth.judge(
            new ComponentHealth.Seen(List.of(), List.of(ingester), List.of(), List.of(claim)));

    assertThat(result.health()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(result.reason())
        .isEqualTo(
            "StatefulSet mimir-ingester: 0/1 ready, claim storage-mimir-ingester-0 Pending"
                + " (FailedBinding: no volume)");
  }

  @Test
  void aReadyReleaseWithReadyWorkloadsIsHealthy() {
    ComponentHealth.Result result =
        ComponentHealth.judge(
            new ComponentHealth.Seen(
                List.of(KindStatusTest.helmRelease(1, 1, "True", "InstallSucceeded")),
                List.of(
                    KubeObjects.statefulSet("mimir-ingester", 1, 1, 3, 3),
                    KubeObjects.deployment("mimir-querier", 1, 1, 2, 2, 2)),
                List.of(),
                List.of()));

    assertThat(result.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(result.reason()).isEqualTo("1 release ready, 2 workloads ready");
  }

  @Test
  void theReleaseConditionSpeaksWhenNoWorkloadExplainsIt() {
    ComponentHealth.Result result =
        ComponentHealth.judge(
            new ComponentHealth.Seen(
                List.of(KindStatusTest.helmRelease(1, 1, "False", "InstallFailed")),
                List.of(),
                List.of(),
                List.of()));

    assertThat(result.health()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.reason()).isEqualTo("HelmRelease mimir: Ready False (InstallFailed: done)");
  }

  @Test
  void releasesPutTheirObjectsWhereFluxAndArgoCdDo() {
    var plain =
        parse(
            """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: mimir, namespace: flux-system}
            spec: {targetNamespace: mimir}
            """);
    var named =
        parse(
            """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: mimir, namespace: lgtm}
            spec: {releaseName: lgtm-mimir}
            """);
    var app =
        parse(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: thanos, namespace: argocd}
            spec:
              source: {chart: thanos, helm: {releaseName: thanos-global}}
              destination: {namespace: monitoring}
            """);

    assertThat(ComponentHealth.target(plain))
        .contains(new ComponentHealth.Target("mimir", "mimir-mimir", "mimir", "flux-system"));
    assertThat(ComponentHealth.target(named))
        .contains(new ComponentHealth.Target("lgtm", "lgtm-mimir", "mimir", "lgtm"));
    assertThat(ComponentHealth.target(app))
        .contains(new ComponentHealth.Target("monitoring", "thanos-global", "thanos", "argocd"));
    assertThat(ComponentHealth.target(KubeObjects.statefulSet("x", 1, 1, 1, 1)))
        .isEqualTo(Optional.empty());
  }
}
