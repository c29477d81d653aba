package io.stackpilot.fleet.simulator;

import static io.stackpilot.fleet.simulator.SimulatedControllersTest.condition;
import static io.stackpilot.fleet.simulator.SimulatedControllersTest.helmRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves that each fault injected through {@link FleetSimulator#faults(String)} shows to a fabric8
 * client as it would on a real cluster, stays in its cluster, and goes away with {@code clear()}.
 */
class FaultInjectionTest {

  private static final List<String> CLUSTERS = List.of("faulty", "healthy");
  private static FleetSimulator fleet;

  @BeforeAll
  static void startFleet() {
    fleet = FleetSimulator.start(CLUSTERS);
  }

  @AfterEach
  void clearFaults() {
    CLUSTERS.forEach(cluster -> fleet.faults(cluster).clear());
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @Test
  void aCrashLoopingIngesterShowsSeed000sErrorAndFailsTheRelease() {
    fleet
        .faults("faulty")
        .crashLoop(
            "mimir-ingester", ClusterFaults.MIMIR_INGESTER_PUSH_GRPC_ERROR, Duration.ofMillis(50));
    KubernetesClient client = fleet.client("faulty");
    apply(client, helmRelease("crash", "mimir", "mimir-distributed", "5.5.0"));

    await()
        .untilAsserted(
            () -> {
              GenericKubernetesResource release = release(client, "crash", "mimir");
              assertThat(condition(release, "Ready"))
                  .containsEntry("status", "False")
                  .containsEntry("reason", "InstallFailed");
              assertThat((String) condition(release, "Ready").get("message"))
                  .contains("StatefulSet/crash/mimir-ingester not ready: CrashLoopBackOff");
            });
    await()
        .untilAsserted(
            () ->
                assertThat(containerStatus(client, "crash", "mimir-ingester-0").getRestartCount())
                    .isGreaterThanOrEqualTo(2));
    ContainerStatus status = containerStatus(client, "crash", "mimir-ingester-2");
    assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(status.getLastState().getTerminated().getMessage())
        .isEqualTo(
            "error validating config: cannot disable Push gRPC method in ingester, while ingest"
                + " storage (-ingest-storage.enabled) is not enabled");
    assertThat(status.getReady()).isFalse();
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace("crash")
                .withName("mimir-ingester")
                .get()
                .getStatus()
                .getReadyReplicas())
        .isZero();
    // the other workloads of the release are not affected
    await()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace("crash")
                            .withName("mimir-querier")
                            .get()
                            .getStatus())
                    .isNotNull()
                    .extracting(s -> s.getReadyReplicas())
                    .isEqualTo(2));

    fleet.faults("faulty").clear();

    await()
        .untilAsserted(
            () -> {
              assertThat(condition(release(client, "crash", "mimir"), "Ready"))
                  .containsEntry("status", "True");
              assertThat(client.pods().inNamespace("crash").list().getItems()).isEmpty();
            });
  }

  @Test
  void anApplicationWithACrashLoopingWorkloadIsDegradedThenHealthy() {
    KubernetesClient client = fleet.client("faulty");
    apply(client, SimulatedControllersTest.application("argocd", "lgtm", "loki", "6.16.0", "logs"));
    await().untilAsserted(() -> assertThat(health(client)).isEqualTo("Healthy"));

    fleet.faults("faulty").crashLoop("lgtm-loki", "panic: runtime error", Duration.ofSeconds(1));

    await().untilAsserted(() -> assertThat(health(client)).isEqualTo("Degraded"));
    assertThat(client.pods().inNamespace("logs").withName("lgtm-loki-0").get()).isNotNull();

    fleet.faults("faulty").clear();

    await().untilAsserted(() -> assertThat(health(client)).isEqualTo("Healthy"));
  }

  private static String health(KubernetesClient client) {
    return client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace("argocd")
        .withName("lgtm")
        .get()
        .get("status", "health", "status");
  }

  @Test
  void imagePullBackOffAndOomKilledShowInTheContainerStatus() {
    fleet.faults("faulty").imagePullBackOff("grafana").oomKilled("tempo");
    KubernetesClient client = fleet.client("faulty");
    apply(client, helmRelease("pull", "grafana", "grafana", "8.5.0"));
    apply(client, helmRelease("pull", "tempo", "tempo", "1.10.0"));

    await()
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  client
                      .pods()
                      .inNamespace("pull")
                      .withLabel("app.kubernetes.io/name", "grafana")
                      .list()
                      .getItems();
              assertThat(pods).hasSize(1);
              assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Pending");
              assertThat(
                      pods.get(0)
                          .getStatus()
                          .getContainerStatuses()
                          .get(0)
                          .getState()
                          .getWaiting()
                          .getReason())
                  .isEqualTo("ImagePullBackOff");
            });
    await()
        .untilAsserted(
            () ->
                assertThat(
                        containerStatus(client, "pull", "tempo-0")
                            .getLastState()
                            .getTerminated()
                            .getReason())
                    .isEqualTo("OOMKilled"));
  }

  @Test
  void aPendingClaimKeepsTheStatefulSetUnscheduled() {
    fleet.faults("faulty").pvcPending("loki");
    KubernetesClient client = fleet.client("faulty");
    apply(client, helmRelease("pvc", "loki", "loki", "6.16.0"));

    await()
        .untilAsserted(
            () -> {
              PersistentVolumeClaim claim =
                  client
                      .persistentVolumeClaims()
                      .inNamespace("pvc")
                      .withName("storage-loki-0")
                      .get();
              assertThat(claim).isNotNull();
              assertThat(claim.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(claim.getStatus().getConditions().get(0).getReason())
                  .isEqualTo("FailedBinding");
              // the claim, its event and the pod are written one after the other: wait for all
              assertThat(client.v1().events().inNamespace("pvc").list().getItems())
                  .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("FailedBinding"));
              Pod pod = client.pods().inNamespace("pvc").withName("loki-0").get();
              assertThat(pod).isNotNull();
              assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
              assertThat(pod.getStatus().getConditions().get(0).getReason())
                  .isEqualTo("Unschedulable");
            });
  }

  @Test
  void aSlowRolloutHoldsOneWorkloadAndTheRelease() {
    fleet.faults("faulty").slowRollout("mimir-compactor", Duration.ofHours(1));
    KubernetesClient client = fleet.client("faulty");
    apply(client, helmRelease("slow", "mimir", "mimir-distributed", "5.5.0"));

    await()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .statefulSets()
                            .inNamespace("slow")
                            .withName("mimir-ingester")
                            .get())
                    .isNotNull()
                    .extracting(s -> s.getStatus())
                    .isNotNull());
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace("slow")
                .withName("mimir-compactor")
                .get()
                .getStatus())
        .isNull();
    assertThat(condition(release(client, "slow", "mimir"), "Ready"))
        .containsEntry("status", "Unknown");
  }

  @Test
  void apiErrorsAnswerEveryRequestOrAShareOfThem() {
    fleet.faults("faulty").apiErrors(500, 1.0);
    try (KubernetesClient noRetries = client("faulty", 0, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> noRetries.configMaps().inNamespace("default").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
      // the other cluster is not affected
      assertThat(fleet.client("healthy").configMaps().inNamespace("default").list()).isNotNull();

      fleet.faults("faulty").clear().apiErrors(500, 0.5);
      // every second request fails; fabric8's retry gets through
      try (KubernetesClient retrying = client("faulty", 3, Duration.ofSeconds(10))) {
        for (int i = 0; i < 4; i++) {
          assertThat(retrying.configMaps().inNamespace("default").list()).isNotNull();
        }
      }
    }
  }

  @Test
  void forbiddenOnlyOnSomePathsAnd429WithRetryAfter() throws Exception {
    fleet.faults("faulty").apiErrors(403, 1.0, "/secrets").apiErrors(429, 1.0, "/leases");
    KubernetesClient client = fleet.client("faulty");

    assertThatThrownBy(() -> client.secrets().inNamespace("default").list())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(client.configMaps().inNamespace("default").list()).isNotNull();
    HttpResponse<String> limited =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            fleet.apiUrl("faulty")
                                + "/apis/coordination.k8s.io/v1/namespaces/default/leases"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    assertThat(limited.body()).contains("\"reason\":\"TooManyRequests\"");
  }

  @Test
  void aHeldResponseTimesTheClientOut() {
    fleet.faults("faulty").timeouts(Duration.ofSeconds(5), 1.0, "/configmaps");
    try (KubernetesClient impatient = client("faulty", 0, Duration.ofMillis(300))) {
      assertThatThrownBy(() -> impatient.configMaps().inNamespace("default").list())
          .isInstanceOf(KubernetesClientException.class);
      assertThat(impatient.secrets().inNamespace("default").list()).isNotNull();
    }
  }

  @Test
  void anUnreachableClusterRefusesConnectionsAndComesBackWithItsObjects() {
    KubernetesClient client = fleet.client("faulty");
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("kept")
                .endMetadata()
                .addToData("a", "b")
                .build())
        .create();
    String url = fleet.apiUrl("faulty");

    fleet.faults("faulty").unreachable();

    assertThat(fleet.faults("faulty").isReachable()).isFalse();
    try (KubernetesClient noRetries = client("faulty", 0, Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> noRetries.configMaps().inNamespace("default").list())
          .isInstanceOf(KubernetesClientException.class)
          .hasRootCauseInstanceOf(ConnectException.class);
    }
    assertThat(fleet.client("healthy").configMaps().inNamespace("default").list()).isNotNull();

    fleet.faults("faulty").reachable();

    assertThat(fleet.apiUrl("faulty")).isEqualTo(url);
    try (KubernetesClient again = client("faulty", 0, Duration.ofSeconds(5))) {
      assertThat(again.configMaps().inNamespace("default").withName("kept").get().getData())
          .containsEntry("a", "b");
    }
  }

  private static KubernetesClient client(String cluster, int retries, Duration timeout) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(fleet.apiUrl(cluster))
            .withNamespace("default")
            .withRequestRetryBackoffLimit(retries)
            .withRequestRetryBackoffInterval(10)
            .withRequestTimeout((int) timeout.toMillis())
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static GenericKubernetesResource release(
      KubernetesClient client, String namespace, String name) {
    return client
        .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static ContainerStatus containerStatus(
      KubernetesClient client, String namespace, String pod) {
    Pod found = client.pods().inNamespace(namespace).withName(pod).get();
    assertThat(found).as("pod " + pod).isNotNull();
    return found.getStatus().getContainerStatuses().get(0);
  }

  private static <T extends HasMetadata> T apply(KubernetesClient client, T object) {
    return client.resource(object).fieldManager("stackpilot").forceConflicts().serverSideApply();
  }
}
