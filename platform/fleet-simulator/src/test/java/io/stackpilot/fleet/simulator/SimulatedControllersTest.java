package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a HelmRelease or an Argo CD Application applied through a kubeconfig makes the
 * simulated controllers create the chart's workloads and Services, report them and the release
 * ready, upgrade them, and remove them with the release.
 */
class SimulatedControllersTest {

  private static final String MANAGER = "stackpilot";

  @TempDir static Path dir;
  private static FleetSimulator fleet;
  private static KubernetesClient client;

  @BeforeAll
  static void startFleet() {
    fleet = FleetSimulator.start(List.of("foundation", "perso"));
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig("foundation", kubeconfig.toFile()))
            .build();
  }

  @AfterAll
  static void stopFleet() {
    client.close();
    fleet.close();
  }

  @Test
  void aHelmReleaseBecomesTheChartsWorkloadsThenReady() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.apps().statefulSets().inNamespace("lgtm-system").watch(recording(events))) {
      apply(helmRelease("lgtm-system", "mimir", "mimir-distributed", "5.5.0"));

      await().untilAsserted(() -> assertThat(ready("lgtm-system", "mimir")).isTrue());
      GenericKubernetesResource release = helmReleases("lgtm-system").withName("mimir").get();
      assertThat(release.<Integer>get("status", "observedGeneration")).isEqualTo(1);
      assertThat(release.<String>get("status", "lastAttemptedRevision")).isEqualTo("5.5.0");
      assertThat(condition(release, "Ready"))
          .containsEntry("status", "True")
          .containsEntry("reason", "InstallSucceeded");

      assertThat(names(client.apps().statefulSets().inNamespace("lgtm-system").list().getItems()))
          .containsExactlyInAnyOrder("mimir-ingester", "mimir-store-gateway", "mimir-compactor");
      assertThat(names(client.apps().deployments().inNamespace("lgtm-system").list().getItems()))
          .containsExactlyInAnyOrder(
              "mimir-distributor", "mimir-querier", "mimir-query-frontend", "mimir-gateway");
      assertThat(names(client.services().inNamespace("lgtm-system").list().getItems()))
          .hasSize(7)
          .contains("mimir-ingester", "mimir-gateway");

      StatefulSet ingester =
          client.apps().statefulSets().inNamespace("lgtm-system").withName("mimir-ingester").get();
      assertThat(ingester.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/instance", "mimir")
          .containsEntry("app.kubernetes.io/name", "mimir")
          .containsEntry("app.kubernetes.io/component", "ingester")
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
      assertThat(ingester.getMetadata().getAnnotations())
          .containsEntry("stackpilot.io/simulated-release", "HelmRelease/lgtm-system/mimir");
      assertThat(ingester.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(ingester.getSpec().getVolumeClaimTemplates()).hasSize(1);
      assertThat(ingester.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(ingester.getStatus().getReplicas()).isEqualTo(3);
      assertThat(ingester.getStatus().getReadyReplicas()).isEqualTo(3);
      assertThat(ingester.getStatus().getCurrentReplicas()).isEqualTo(3);
      assertThat(ingester.getStatus().getUpdatedReplicas()).isEqualTo(3);
      assertThat(ingester.getStatus().getCurrentRevision())
          .isEqualTo(ingester.getStatus().getUpdateRevision());

      Deployment querier =
          client.apps().deployments().inNamespace("lgtm-system").withName("mimir-querier").get();
      assertThat(querier.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(querier.getStatus().getReplicas()).isEqualTo(2);
      assertThat(querier.getStatus().getUpdatedReplicas()).isEqualTo(2);
      assertThat(querier.getStatus().getReadyReplicas()).isEqualTo(2);
      assertThat(querier.getStatus().getAvailableReplicas()).isEqualTo(2);
      assertThat(querier.getStatus().getConditions())
          .extracting(c -> c.getType() + "=" + c.getStatus())
          .containsExactlyInAnyOrder("Available=True", "Progressing=True");

      await()
          .untilAsserted(
              () -> assertThat(events).contains("ADDED mimir-ingester", "MODIFIED mimir-ingester"));
    }
  }

  @Test
  void anUpgradeRollsTheWorkloadsToTheNewGeneration() {
    apply(helmRelease("upgrade", "tempo", "tempo", "1.10.0"));
    await().untilAsserted(() -> assertThat(ready("upgrade", "tempo")).isTrue());

    apply(helmRelease("upgrade", "tempo", "tempo", "1.11.0"));

    await()
        .untilAsserted(
            () -> {
              GenericKubernetesResource release = helmReleases("upgrade").withName("tempo").get();
              assertThat(release.<Integer>get("status", "observedGeneration")).isEqualTo(2);
              assertThat(condition(release, "Ready"))
                  .containsEntry("status", "True")
                  .containsEntry("reason", "UpgradeSucceeded");
              assertThat(release.<String>get("status", "lastAttemptedRevision"))
                  .isEqualTo("1.11.0");
            });
    StatefulSet tempo = client.apps().statefulSets().inNamespace("upgrade").withName("tempo").get();
    assertThat(tempo.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(tempo.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(tempo.getMetadata().getLabels()).containsEntry("helm.sh/chart", "tempo-1.11.0");
  }

  @Test
  void anArgoCdApplicationBecomesSyncedAndHealthy() {
    apply(application("argocd", "monitoring", "kube-prometheus-stack", "65.1.0", "observability"));

    await()
        .untilAsserted(
            () -> {
              GenericKubernetesResource app = applications("argocd").withName("monitoring").get();
              assertThat(app.<String>get("status", "sync", "status")).isEqualTo("Synced");
              assertThat(app.<String>get("status", "health", "status")).isEqualTo("Healthy");
            });
    assertThat(names(client.apps().deployments().inNamespace("observability").list().getItems()))
        .containsExactlyInAnyOrder(
            "monitoring-kube-prometheus-operator",
            "monitoring-grafana",
            "monitoring-kube-state-metrics");
    assertThat(names(client.apps().statefulSets().inNamespace("observability").list().getItems()))
        .containsExactlyInAnyOrder(
            "prometheus-monitoring-kube-prometheus-prometheus",
            "alertmanager-monitoring-kube-prometheus-alertmanager");
    DaemonSet nodeExporter =
        client
            .apps()
            .daemonSets()
            .inNamespace("observability")
            .withName("monitoring-prometheus-node-exporter")
            .get();
    assertThat(nodeExporter.getStatus().getDesiredNumberScheduled()).isEqualTo(3);
    assertThat(nodeExporter.getStatus().getNumberReady()).isEqualTo(3);
    assertThat(nodeExporter.getStatus().getUpdatedNumberScheduled()).isEqualTo(3);
    assertThat(nodeExporter.getStatus().getNumberAvailable()).isEqualTo(3);
    assertThat(nodeExporter.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(nodeExporter.getMetadata().getAnnotations())
        .containsEntry("stackpilot.io/simulated-release", "Application/argocd/monitoring");
  }

  @Test
  void aReleaseCreatedOrEditedWithoutApplyIsReconciledToo() {
    // POST on the collection (create) and JSON patch (edit), not server-side apply
    client
        .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
        .inNamespace("created")
        .resource(helmRelease("created", "grafana", "grafana", "8.5.0"))
        .create();
    await().untilAsserted(() -> assertThat(ready("created", "grafana")).isTrue());

    helmReleases("created")
        .withName("grafana")
        .edit(
            r -> {
              r.setAdditionalProperty(
                  "spec",
                  helmRelease("created", "grafana", "grafana", "8.6.0")
                      .getAdditionalProperties()
                      .get("spec"));
              return r;
            });

    await()
        .untilAsserted(
            () ->
                assertThat(condition(helmReleases("created").withName("grafana").get(), "Ready"))
                    .containsEntry("reason", "UpgradeSucceeded"));
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("created")
                .withName("grafana")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("helm.sh/chart", "grafana-8.6.0");
  }

  @Test
  void anUnknownChartGivesOneDeploymentNamedAfterTheRelease() {
    apply(helmRelease("custom", "profiles", "pyroscope", "1.0.0"));

    await().untilAsserted(() -> assertThat(ready("custom", "profiles")).isTrue());
    assertThat(names(client.apps().deployments().inNamespace("custom").list().getItems()))
        .containsExactly("profiles");
    assertThat(client.services().inNamespace("custom").withName("profiles").get()).isNotNull();
  }

  @Test
  void deletingTheReleaseDeletesItsWorkloads() {
    apply(helmRelease("deleted", "loki", "loki", "6.16.0"));
    await()
        .until(
            () -> client.apps().statefulSets().inNamespace("deleted").withName("loki").get(),
            s -> s != null);

    helmReleases("deleted").withName("loki").delete();

    await()
        .untilAsserted(
            () -> {
              assertThat(client.apps().statefulSets().inNamespace("deleted").list().getItems())
                  .isEmpty();
              assertThat(client.services().inNamespace("deleted").list().getItems()).isEmpty();
            });
  }

  @Test
  void aRolloutDelayKeepsTheReleaseProgressing() {
    fleet.faults("perso").rolloutDelay(Duration.ofHours(1));
    KubernetesClient perso = fleet.client("perso");
    try {
      perso
          .resource(helmRelease("slow", "grafana", "grafana", "8.5.0"))
          .fieldManager(MANAGER)
          .forceConflicts()
          .serverSideApply();

      await()
          .untilAsserted(
              () -> {
                GenericKubernetesResource release =
                    perso
                        .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
                        .inNamespace("slow")
                        .withName("grafana")
                        .get();
                assertThat(condition(release, "Ready"))
                    .containsEntry("status", "Unknown")
                    .containsEntry("reason", "Progressing");
              });
      Deployment grafana = perso.apps().deployments().inNamespace("slow").withName("grafana").get();
      assertThat(grafana.getStatus()).isNull();
    } finally {
      fleet.faults("perso").rolloutDelay(Duration.ZERO);
    }
  }

  @Test
  void aShortRolloutDelayEndsReady() {
    fleet.faults("perso").rolloutDelay(Duration.ofMillis(200));
    KubernetesClient perso = fleet.client("perso");
    try {
      perso
          .resource(helmRelease("short", "alloy", "alloy", "0.9.0"))
          .fieldManager(MANAGER)
          .forceConflicts()
          .serverSideApply();

      await()
          .untilAsserted(
              () ->
                  assertThat(perso.apps().daemonSets().inNamespace("short").withName("alloy").get())
                      .extracting(DaemonSet::getStatus)
                      .isNotNull()
                      .extracting(s -> s.getNumberReady())
                      .isEqualTo(3));
    } finally {
      fleet.faults("perso").rolloutDelay(Duration.ZERO);
    }
  }

  static boolean ready(String namespace, String name) {
    GenericKubernetesResource release = helmReleases(namespace).withName(name).get();
    return release != null && "True".equals(condition(release, "Ready").get("status"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> condition(GenericKubernetesResource release, String type) {
    List<Map<String, Object>> conditions = release.get("status", "conditions");
    if (conditions == null) {
      return Map.of();
    }
    return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(Map.of());
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      helmReleases(String namespace) {
    return client
        .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
        .inNamespace(namespace);
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      applications(String namespace) {
    return client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace(namespace);
  }

  private static <T extends HasMetadata> T apply(T object) {
    return client.resource(object).fieldManager(MANAGER).forceConflicts().serverSideApply();
  }

  static GenericKubernetesResource helmRelease(
      String namespace, String name, String chart, String version) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("interval", "10m");
    spec.put(
        "chart",
        Map.of(
            "spec",
            Map.of(
                "chart",
                chart,
                "version",
                version,
                "sourceRef",
                Map.of("kind", "HelmRepository", "name", "grafana"))));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("helm.toolkit.fluxcd.io/v2")
        .withKind("HelmRelease")
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  static GenericKubernetesResource application(
      String namespace, String name, String chart, String version, String destination) {
    Map<String, Object> spec =
        Map.of(
            "project",
            "default",
            "source",
            Map.of(
                "repoURL",
                "https://prometheus-community.github.io/helm-charts",
                "chart",
                chart,
                "targetRevision",
                version),
            "destination",
            Map.of("server", "https://kubernetes.default.svc", "namespace", destination));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("argoproj.io/v1alpha1")
        .withKind("Application")
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static <T extends HasMetadata> Watcher<T> recording(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        events.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
        // closed by the test
      }
    };
  }
}
