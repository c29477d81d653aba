package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that code holding only a kubeconfig can server-side-apply into each simulated cluster,
 * read back, watch, and that the clusters are separate.
 */
class FleetSimulatorTest {

  private static final List<String> CLUSTERS = List.of("foundation", "cryptellation", "perso");
  private static final String MANAGER = "stackpilot";

  @TempDir static Path dir;
  private static FleetSimulator fleet;
  private static Path kubeconfig;

  @BeforeAll
  static void startFleet() {
    fleet = FleetSimulator.start(CLUSTERS);
    kubeconfig = fleet.writeKubeconfig(dir.resolve("kube/config"));
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @Test
  void kubeconfigNamesEveryClusterAndTheFirstIsCurrent() {
    assertThat(fleet.clusterNames()).containsExactlyElementsOf(CLUSTERS);
    Config current = Config.fromKubeconfig(null, kubeconfig.toFile());
    assertThat(current.getCurrentContext().getName()).isEqualTo("foundation");
    for (String cluster : CLUSTERS) {
      Config config = Config.fromKubeconfig(cluster, kubeconfig.toFile());
      assertThat(config.getMasterUrl()).startsWith(fleet.apiUrl(cluster));
      assertThat(config.getNamespace()).isEqualTo("default");
    }
  }

  @Test
  void serverSideApplyCreatesUpdatesAndKeepsIdenticalObjectsInEveryContext() {
    for (String cluster : CLUSTERS) {
      try (KubernetesClient client = clientFromKubeconfig(cluster)) {
        Namespace namespace = apply(client, namespace("observability"));
        assertThat(namespace.getMetadata().getLabels()).containsEntry("stackpilot.io/stack", "obs");

        ConfigMap created = apply(client, configMap("observability", "stack", "v1"));
        ConfigMap updated = apply(client, configMap("observability", "stack", "v2"));
        ConfigMap unchanged = apply(client, configMap("observability", "stack", "v2"));
        ConfigMap read = client.configMaps().inNamespace("observability").withName("stack").get();

        assertThat(created.getData()).containsEntry("version", "v1");
        assertThat(updated.getData()).containsEntry("version", "v2");
        assertThat(updated.getMetadata().getResourceVersion())
            .isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(updated.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(unchanged.getMetadata().getResourceVersion())
            .isEqualTo(updated.getMetadata().getResourceVersion());
        assertThat(read.getData()).containsEntry("version", "v2");
        assertThat(read.getMetadata().getLabels())
            .containsEntry("app.kubernetes.io/part-of", "obs");
        assertThat(client.namespaces().withName("observability").get()).isNotNull();
      }
    }
  }

  /**
   * Field ownership as server-side apply has it: a field a manager stops applying goes, unless
   * another manager applies it too. Two components applying one Namespace under one manager lose
   * each other's labels; under their own managers the labels add up.
   */
  @Test
  void aFieldAManagerNoLongerAppliesIsRemovedUnlessAnotherManagerAppliesIt() {
    try (KubernetesClient client = clientFromKubeconfig("foundation")) {
      apply(client, "m1", namespace("owned", Map.of("a", "1", "psa", "privileged")));
      apply(client, "m1", namespace("owned", Map.of("a", "1")));
      assertThat(labels(client, "owned")).doesNotContainKey("psa").containsEntry("a", "1");

      apply(client, "prometheus", namespace("shared", Map.of("a", "1", "psa", "privileged")));
      apply(client, "loki", namespace("shared", Map.of("a", "1")));
      apply(client, "loki", namespace("shared", Map.of("a", "1", "b", "2")));
      apply(client, "loki", namespace("shared", Map.of("a", "1")));
      assertThat(labels(client, "shared"))
          .containsEntry("psa", "privileged")
          .containsEntry("a", "1")
          .doesNotContainKey("b");
      apply(client, "prometheus", namespace("shared", Map.of("a", "1")));
      assertThat(labels(client, "shared")).doesNotContainKey("psa").containsEntry("a", "1");
      apply(client, "loki", namespace("shared", Map.of()));
      apply(client, "prometheus", namespace("shared", Map.of()));
      assertThat(labels(client, "shared")).as("nobody applies it any more").doesNotContainKey("a");
    }
  }

  private static Map<String, String> labels(KubernetesClient client, String namespace) {
    Map<String, String> labels =
        client.namespaces().withName(namespace).get().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  private static <T extends HasMetadata> T apply(
      KubernetesClient client, String manager, T object) {
    return client.resource(object).fieldManager(manager).forceConflicts().serverSideApply();
  }

  @Test
  void aWatchSeesAddedThenModifiedAndNothingForAnIdenticalApply() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = clientFromKubeconfig("cryptellation");
        Watch watch = client.configMaps().inNamespace("watched").watch(recordingInto(events))) {
      apply(client, configMap("watched", "settings", "v1"));
      apply(client, configMap("watched", "settings", "v2"));
      apply(client, configMap("watched", "settings", "v2"));

      await().untilAsserted(() -> assertThat(events).containsExactly("ADDED v1", "MODIFIED v2"));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(() -> assertThat(events).hasSize(2));
    }
  }

  @Test
  void eachClusterIsIsolatedFromTheOthers() {
    try (KubernetesClient perso = clientFromKubeconfig("perso")) {
      apply(perso, configMap("isolated", "only-in-perso", "v1"));
    }
    assertThat(fleet.client("perso").configMaps().inNamespace("isolated").list().getItems())
        .hasSize(1);
    for (String other : List.of("foundation", "cryptellation")) {
      try (KubernetesClient client = clientFromKubeconfig(other)) {
        assertThat(client.configMaps().inNamespace("isolated").withName("only-in-perso").get())
            .isNull();
      }
    }
  }

  @Test
  void aHelmReleaseRoundTripsAsAGenericResource() {
    try (KubernetesClient client = clientFromKubeconfig("foundation")) {
      apply(client, helmRelease("monitoring", "65.1.0", Map.of()));
      GenericKubernetesResource upgraded =
          apply(client, helmRelease("monitoring", "65.2.0", Map.of()));

      GenericKubernetesResource read =
          client
              .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
              .inNamespace("monitoring")
              .withName("kube-prometheus-stack")
              .get();

      assertThat(upgraded.getMetadata().getGeneration()).isEqualTo(2L);
      assertThat(read.<String>get("spec", "chart", "spec", "version")).isEqualTo("65.2.0");
      assertThat(read.<String>get("spec", "interval")).isEqualTo("10m");
      assertThat(
              client
                  .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
                  .inNamespace("monitoring")
                  .list()
                  .getItems())
          .extracting(r -> r.getMetadata().getName())
          .containsExactly("kube-prometheus-stack");
    }
  }

  @Test
  void aCustomKindBecomesUsableOnceItsCrdIsApplied() {
    try (KubernetesClient client = clientFromKubeconfig("perso")) {
      apply(client, crd());
      GenericKubernetesResource widget =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("example.stackpilot.io/v1")
              .withKind("Widget")
              .withNewMetadata()
              .withName("w1")
              .withNamespace("default")
              .endMetadata()
              .withAdditionalProperties(Map.of("spec", Map.of("size", 3)))
              .build();

      apply(client, widget);

      assertThat(
              client
                  .genericKubernetesResources("example.stackpilot.io/v1", "Widget")
                  .inNamespace("default")
                  .withName("w1")
                  .get()
                  .<Integer>get("spec", "size"))
          .isEqualTo(3);
    }
  }

  @Test
  void applyRemovesFieldsTheManagerOmitsNowAndReplacesLists() {
    KubernetesClient client = fleet.client("foundation");
    apply(
        client,
        helmRelease(
            "merged", "1.0.0", Map.of("values", Map.of("a", 1), "dependsOn", List.of("x", "y"))));

    apply(client, helmRelease("merged", "1.0.0", Map.of("dependsOn", List.of("z"))));

    GenericKubernetesResource read =
        client
            .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
            .inNamespace("merged")
            .withName("kube-prometheus-stack")
            .get();
    // as a real API server: the manager no longer applies spec.values, so it goes
    assertThat(read.<Object>get("spec", "values")).isNull();
    assertThat(read.<List<String>>get("spec", "dependsOn")).containsExactly("z");
  }

  @Test
  void applyingAStaleResourceVersionConflicts() {
    KubernetesClient client = fleet.client("cryptellation");
    ConfigMap created = apply(client, configMap("stale", "cm", "v1"));
    apply(client, configMap("stale", "cm", "v2"));
    ConfigMap stale = configMap("stale", "cm", "v3");
    stale.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());

    assertThatThrownBy(() -> apply(client, stale))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void applyingUnderAnotherNameThanTheUrlsIsRefused() throws Exception {
    // raw HTTP: fabric8 clients never send such a request (and read the object first)
    HttpRequest apply =
        HttpRequest.newBuilder(
                URI.create(
                    fleet.apiUrl("foundation") + "/api/v1/namespaces/misnamed/configmaps/url-name"))
            .header("Content-Type", "application/apply-patch+yaml")
            .method(
                "PATCH",
                HttpRequest.BodyPublishers.ofString(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: body-name\n"))
            .build();

    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(apply, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(fleet.client("foundation").configMaps().inNamespace("misnamed").list().getItems())
        .isEmpty();
  }

  @Test
  void otherPatchesStillWork() {
    KubernetesClient client = fleet.client("perso");
    apply(client, configMap("patched", "cm", "v1"));

    ConfigMap edited =
        client
            .configMaps()
            .inNamespace("patched")
            .withName("cm")
            .edit(cm -> new ConfigMapBuilder(cm).addToData("extra", "yes").build());

    assertThat(edited.getData()).containsEntry("version", "v1").containsEntry("extra", "yes");
  }

  @Test
  void aTestCanInjectAFaultIntoOneCluster() {
    fleet
        .server("foundation")
        .expect()
        .get()
        .withPath("/api/v1/namespaces/faulty/configmaps/cm")
        // a 4xx, because fabric8 clients retry 5xx answers with backoff
        .andReturn(403, "forbidden")
        .once();

    assertThatThrownBy(
            () ->
                fleet.client("foundation").configMaps().inNamespace("faulty").withName("cm").get())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(fleet.client("foundation").configMaps().inNamespace("faulty").withName("cm").get())
        .isNull();
  }

  @Test
  void autoConfigureReachesEachClusterThroughTheKubeconfigVariable() {
    // the system property stands in for KUBECONFIG, which fabric8 reads the same way
    String previous = System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
    try {
      for (String cluster : CLUSTERS) {
        try (KubernetesClient client =
            new KubernetesClientBuilder().withConfig(Config.autoConfigure(cluster)).build()) {
          apply(client, configMap("auto", "cm", cluster));
        }
        assertThat(fleet.client(cluster).configMaps().inNamespace("auto").withName("cm").get())
            .extracting(cm -> cm.getData().get("version"))
            .isEqualTo(cluster);
      }
    } finally {
      if (previous == null) {
        System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
      } else {
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, previous);
      }
    }
  }

  @Test
  void aCustomResourceStatusAppliedThroughItsSubresourceSurvivesASpecApply() {
    // a Kustomization, not a HelmRelease: the simulated helm-controller writes HelmRelease status
    KubernetesClient client = fleet.client("perso");
    apply(client, kustomization("1m"));
    GenericKubernetesResource withStatus = kustomization("1m");
    withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 1));

    client
        .resource(withStatus)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("kustomize-controller")
                .withForce(true)
                .build());
    GenericKubernetesResource reapplied = apply(client, kustomization("5m"));

    assertThat(reapplied.<String>get("spec", "interval")).isEqualTo("5m");
    assertThat(reapplied.<Integer>get("status", "observedGeneration")).isEqualTo(1);
  }

  private static GenericKubernetesResource kustomization(String interval) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("kustomize.toolkit.fluxcd.io/v1")
        .withKind("Kustomization")
        .withNewMetadata()
        .withName("stack")
        .withNamespace("status")
        .endMetadata()
        .withAdditionalProperties(
            Map.of("spec", Map.of("interval", interval, "path", "./stack", "prune", true)))
        .build();
  }

  @Test
  void concurrentAppliesToOneObjectLoseNoField() throws Exception {
    KubernetesClient client = fleet.client("foundation");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ConfigMap>> applies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ConfigMap partial = configMap("concurrent", "shared", "v");
        partial.getData().put("key-" + i, "value-" + i);
        String manager = "manager-" + i; // each owns its key: no apply takes another's away
        applies.add(pool.submit(() -> apply(client, manager, partial)));
      }
      for (Future<ConfigMap> apply : applies) {
        apply.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(client.configMaps().inNamespace("concurrent").withName("shared").get().getData())
        .hasSize(9)
        .containsEntry("key-0", "value-0")
        .containsEntry("key-7", "value-7");
  }

  @Test
  void writesAreCountedPerObjectAndNotTheControllers() {
    KubernetesClient client = fleet.client("cryptellation");
    fleet.resetWrites("cryptellation");
    apply(client, configMap("counted", "once", "v1"));
    apply(client, configMap("counted", "twice", "v1"));
    apply(client, configMap("counted", "twice", "v1"));
    client
        .configMaps()
        .inNamespace("counted")
        .resource(configMap("counted", "created", "v1"))
        .create();
    client.configMaps().inNamespace("counted").withName("created").delete();
    client.configMaps().inNamespace("counted").withName("once").get();
    apply(client, helmRelease("counted", "1.0.0", Map.of()));

    await()
        .until(
            () -> client.apps().deployments().inNamespace("counted").list().getItems().size() == 3);
    assertThat(fleet.writes("cryptellation"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "/api/v1/namespaces/counted/configmaps/once", 1L,
                "/api/v1/namespaces/counted/configmaps/twice", 2L,
                "/api/v1/namespaces/counted/configmaps/created", 2L,
                "/apis/helm.toolkit.fluxcd.io/v2/namespaces/counted/helmreleases/kube-prometheus-stack",
                    1L));
  }

  @Test
  void refusesBadClusterNames() {
    assertThatThrownBy(() -> FleetSimulator.start(List.of("ok", "ok")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FleetSimulator.start(List.of("Not_A_Label")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fleet.apiUrl("unknown")).isInstanceOf(IllegalArgumentException.class);
  }

  private static KubernetesClient clientFromKubeconfig(String context) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(context, kubeconfig.toFile()))
        .build();
  }

  private static <T extends HasMetadata> T apply(KubernetesClient client, T object) {
    return client.resource(object).fieldManager(MANAGER).forceConflicts().serverSideApply();
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("stackpilot.io/stack", "obs")
        .endMetadata()
        .build();
  }

  private static ConfigMap configMap(String namespace, String name, String version) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels("app.kubernetes.io/part-of", "obs")
        .endMetadata()
        .addToData("version", version)
        .build();
  }

  private static GenericKubernetesResource helmRelease(
      String namespace, String chartVersion, Map<String, Object> extraSpec) {
    Map<String, Object> spec = new java.util.HashMap<>(extraSpec);
    spec.put("interval", "10m");
    spec.put(
        "chart",
        Map.of(
            "spec",
            Map.of(
                "chart",
                "kube-prometheus-stack",
                "version",
                chartVersion,
                "sourceRef",
                Map.of("kind", "HelmRepository", "name", "prometheus-community"))));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("helm.toolkit.fluxcd.io/v2")
        .withKind("HelmRelease")
        .withNewMetadata()
        .withName("kube-prometheus-stack")
        .withNamespace(namespace)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd() {
    return new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.example.stackpilot.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.stackpilot.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .endVersion()
        .endSpec()
        .build();
  }

  private static Watcher<ConfigMap> recordingInto(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap configMap) {
        events.add(action + " " + configMap.getData().get("version"));
      }

      @Override
      public void onClose(WatcherException cause) {
        // the test closes the watch itself; nothing to recover
      }
    };
  }
}
