package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rendering is pure: the same step gives the same objects, marked as Stackpilot's. */
class StepRendererTest {
  final StepRenderer renderer = new StepRenderer();

  @Test
  void aStepRendersItsNamespaceARecordOfTheComponentAndItsFluxRelease() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");
    step.setValues(
        Map.of("loki.storage[0].bucket", "logs", "admin.existingSecret", "grafana-admin"));

    List<HasMetadata> objects = renderer.render(step);

    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly(
            "Namespace/lgtm-system",
            "ConfigMap/stackpilot-loki",
            "HelmRepository/loki",
            "HelmRelease/loki");
    assertThat(objects.get(0)).isInstanceOf(Namespace.class);
    ConfigMap cm = (ConfigMap) objects.get(1);
    assertThat(cm.getData())
        .containsEntry("chart.version", "1.0.0")
        .containsEntry("values.loki.storage.0.bucket", "logs")
        .containsEntry("values.admin.existingSecret", "grafana-admin");
    assertThat(renderer.render(step)).isEqualTo(objects);
  }

  @Test
  void everyObjectButTheSharedNamespaceCarriesOwnershipLabelsAndAnnotations() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");

    assertThat(renderer.render(step).subList(1, 4))
        .allSatisfy(
            o -> {
              assertThat(o.getMetadata().getLabels())
                  .containsEntry(Ownership.MANAGED_BY, "stackpilot")
                  .containsEntry(Ownership.COMPONENT, "loki");
              assertThat(o.getMetadata().getAnnotations())
                  .containsEntry(Ownership.DIGEST, step.getDigest())
                  .containsEntry(Ownership.STEP, "r1/perso/loki")
                  .containsEntry(Ownership.ROLLOUT, "r1");
            });
  }

  /** Every kind of every golden case and driver, OCI under Flux too, is one KINDS lists. */
  @Test
  void theSharedNamespaceIsAppliedUnderEachComponentsOwnFieldManager() {
    List<HasMetadata> loki = renderer.render(Events.stepRequested("r1", "perso", "loki"));
    List<HasMetadata> alloy = renderer.render(Events.stepRequested("r1", "perso", "alloy"));

    assertThat(Ownership.fieldManager(loki.get(0), "loki"))
        .isEqualTo("stackpilot-applier-loki")
        .isNotEqualTo(Ownership.fieldManager(alloy.get(0), "alloy"));
    assertThat(loki.get(0).getKind()).isEqualTo("Namespace");
    assertThat(loki.subList(1, loki.size()))
        .allSatisfy(
            o -> assertThat(Ownership.fieldManager(o, "loki")).isEqualTo(Ownership.FIELD_MANAGER));
  }

  @Test
  void everyRenderedKindIsOneAPruneLooksThrough() {
    List<HasMetadata> all =
        new ArrayList<>(renderer.render(Events.stepRequested("r1", "perso", "loki")));
    GoldenFilesTest.cases()
        .forEach(
            a ->
                all.addAll(
                    GoldenFilesTest.renderAll((String) a.get()[0], (RenderDriver) a.get()[1])));
    all.addAll(renderer.render(ociStep(RenderDriver.FLUX)));

    Set<String> rendered = new HashSet<>();
    all.forEach(o -> rendered.add(o.getApiVersion() + " " + o.getKind() + " " + namespaced(o)));
    assertThat(rendered)
        .containsExactlyInAnyOrderElementsOf(
            StepRenderer.KINDS.stream()
                .map(k -> k.apiVersion() + " " + k.kind() + " " + k.namespaced())
                .toList());
    // a kind the renderer puts in a fixed namespace is looked for there
    for (HasMetadata o : all) {
      StepRenderer.KINDS.stream()
          .filter(k -> k.kind().equals(o.getKind()) && k.namespace() != null)
          .forEach(k -> assertThat(o.getMetadata().getNamespace()).isEqualTo(k.namespace()));
    }
    assertThat(StepRenderer.KINDS)
        .filteredOn(k -> k.kind().equals("Application"))
        .singleElement()
        .satisfies(k -> assertThat(k.namespaceFor("lgtm-system")).isEqualTo("argocd"));
  }

  private static boolean namespaced(HasMetadata o) {
    return o.getMetadata().getNamespace() != null;
  }

  @Test
  void objectsComeInApplyOrderNamespaceFirst() {
    for (StepRequested step : ExampleSteps.of("seed-004-flux-lgtm-pyroscope.yaml", null)) {
      List<HasMetadata> objects = renderer.render(step);
      assertThat(objects.get(0)).isInstanceOf(Namespace.class);
      List<Integer> ranks =
          objects.stream()
              .map(
                  o ->
                      StepRenderer.KINDS.indexOf(
                          new StepRenderer.RenderedKind(
                              o.getApiVersion(),
                              o.getKind(),
                              o.getMetadata().getNamespace() != null)))
              .toList();
      assertThat(ranks).isSorted().doesNotContain(-1);
    }
  }

  @Test
  void onlyTheComponentsOwnObjectsCarryItsPruneSelector() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");
    var selector = Ownership.componentSelector("loki");

    List<HasMetadata> unselected =
        renderer.render(step).stream()
            .filter(o -> !o.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
            .toList();

    // the Namespace is shared by every component in it, so no prune of one component removes it
    assertThat(unselected).singleElement().isInstanceOf(Namespace.class);
  }

  @Test
  void anOciChartUnderFluxIsAnOciRepositoryWithALayerSelectorAndAChartRef() {
    List<HasMetadata> objects = renderer.render(ociStep(RenderDriver.FLUX));

    GenericKubernetesResource source = custom(objects, "OCIRepository");
    assertThat(source.getApiVersion()).isEqualTo("source.toolkit.fluxcd.io/v1");
    assertThat(spec(source))
        .containsEntry("url", "oci://registry-1.docker.io/bitnamicharts/thanos")
        .containsEntry("ref", Map.of("semver", "17.x"))
        .containsEntry(
            "layerSelector",
            Map.of(
                "mediaType", "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                "operation", "copy"));
    GenericKubernetesResource release = custom(objects, "HelmRelease");
    assertThat(spec(release))
        .containsEntry("chartRef", Map.of("kind", "OCIRepository", "name", "thanos"))
        .doesNotContainKey("chart");

    StepRequested exact = ociStep(RenderDriver.FLUX);
    exact.getChart().setVersion("17.3.1");
    assertThat(spec(custom(renderer.render(exact), "OCIRepository")))
        .containsEntry("ref", Map.of("tag", "17.3.1"));
  }

  @Test
  void aFluxReleaseDependsOnTheOtherComponentsAndRetriesInstallsAndUpgrades() {
    StepRequested step = Events.stepRequested("r1", "perso", "grafana");
    step.setDependsOn(List.of("loki", "mimir"));

    Map<String, Object> spec = spec(custom(renderer.render(step), "HelmRelease"));

    assertThat(spec).containsEntry("interval", "30m");
    assertThat(spec.get("dependsOn"))
        .isEqualTo(List.of(Map.of("name", "loki"), Map.of("name", "mimir")));
    assertThat(spec.get("install")).isEqualTo(Map.of("remediation", Map.of("retries", 3)));
    assertThat(spec.get("upgrade"))
        .isEqualTo(
            Map.of(
                "cleanupOnFail",
                true,
                "remediation",
                Map.of("retries", 3, "strategy", "rollback")));
    assertThat(spec.get("chart"))
        .isEqualTo(
            Map.of(
                "spec",
                Map.of(
                    "chart", "grafana",
                    "version", "1.0.0",
                    "interval", "1h",
                    "sourceRef", Map.of("kind", "HelmRepository", "name", "grafana"))));
    assertThat(spec.get("values")).isEqualTo(Map.of("loki", Map.of("auth_enabled", true)));
  }

  @Test
  void argoCdRendersOneApplicationInArgocdWithItsRankAsSyncWave() {
    StepRequested step = ociStep(RenderDriver.ARGOCD);
    step.setOrder(2);

    List<HasMetadata> objects = renderer.render(step);

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly("Namespace", "ConfigMap", "Application");
    GenericKubernetesResource app = custom(objects, "Application");
    assertThat(app.getApiVersion()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(app.getMetadata().getNamespace()).isEqualTo("argocd");
    assertThat(app.getMetadata().getAnnotations())
        .containsEntry("argocd.argoproj.io/sync-wave", "2");
    Map<String, Object> spec = spec(app);
    assertThat(spec.get("destination"))
        .isEqualTo(Map.of("server", "https://kubernetes.default.svc", "namespace", "monitoring"));
    @SuppressWarnings("unchecked")
    Map<String, Object> source = (Map<String, Object>) spec.get("source");
    assertThat(source)
        .containsEntry("repoURL", "registry-1.docker.io/bitnamicharts")
        .containsEntry("chart", "thanos")
        .containsEntry("targetRevision", "17.x");
    assertThat(source.get("helm"))
        .isEqualTo(
            Map.of(
                "releaseName",
                "thanos",
                "valuesObject",
                Map.of("existingObjstoreSecret", "thanos-objstore-secret")));
    assertThat(spec.get("syncPolicy"))
        .isEqualTo(
            Map.of(
                "automated", Map.of("prune", true, "selfHeal", true),
                "syncOptions", List.of("CreateNamespace=true", "ServerSideApply=true")));
  }

  @Test
  void manifestsRenderNoChartObjectsOnlyTheNamespaceSupportingObjectsAndTheRecord() {
    StepRequested step = ociStep(RenderDriver.MANIFESTS);

    assertThat(renderer.render(step))
        .extracting(HasMetadata::getKind)
        .containsExactly("Namespace", "ConfigMap");
  }

  @Test
  void nodeExporterAndAlloyAgentsGetAPrivilegedNamespaceOthersDoNot() {
    StepRequested prometheus = Events.stepRequested("r1", "perso", "kube-prometheus-stack");
    prometheus.setComponentType("kube-prometheus-stack");
    StepRequested agent = Events.stepRequested("r1", "perso", "alloy");
    agent.setComponentType("alloy");
    agent.setComponentSpec("{\"alloy\":{\"mode\":\"agent\"}}");
    StepRequested gateway = Events.stepRequested("r1", "perso", "alloy");
    gateway.setComponentType("alloy");
    gateway.setComponentSpec("{\"alloy\":{\"mode\":\"gateway\"}}");
    StepRequested loki = Events.stepRequested("r1", "perso", "loki");
    loki.setComponentType("loki");

    assertThat(namespaceLabels(prometheus))
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(namespaceLabels(agent))
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(namespaceLabels(gateway)).doesNotContainKey("pod-security.kubernetes.io/enforce");
    assertThat(namespaceLabels(loki)).doesNotContainKey("pod-security.kubernetes.io/enforce");
  }

  private Map<String, String> namespaceLabels(StepRequested step) {
    return renderer.render(step).get(0).getMetadata().getLabels();
  }

  static StepRequested ociStep(RenderDriver driver) {
    StepRequested step = Events.stepRequested("r1", "minipcs", "thanos");
    step.setNamespace("monitoring");
    step.setChart(new ChartRef("oci://registry-1.docker.io/bitnamicharts", "thanos", "17.x"));
    step.setValues(Map.of("existingObjstoreSecret", "thanos-objstore-secret"));
    step.setComponentType("thanos");
    step.setDriver(driver);
    return step;
  }

  static GenericKubernetesResource custom(List<HasMetadata> objects, String kind) {
    return (GenericKubernetesResource)
        objects.stream().filter(o -> o.getKind().equals(kind)).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
