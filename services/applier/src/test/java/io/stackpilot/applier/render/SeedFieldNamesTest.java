package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm values that reach the cluster use the field names the seeds learned the hard way:
 * Mimir's volumes under {@code <part>.persistentVolume} with {@code storageClass} (not {@code
 * storageClassName}), {@code store_gateway} (not {@code store-gateway}), Tempo's storage under
 * {@code tempo.storage.trace} (not {@code traces}).
 */
class SeedFieldNamesTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "seed-000-lgtm-ansible.yaml, FLUX",
    "seed-001-lgtm-multitenant.yaml, FLUX",
    "seed-004-flux-lgtm-pyroscope.yaml, FLUX",
    "lgtm-multicluster.yaml, FLUX",
    "lgtm-multicluster.yaml, ARGOCD"
  })
  void mimirVolumesUsePersistentVolumeAndStorageClass(String file, RenderDriver driver) {
    Map<String, Object> values = values(file, driver, "mimir");

    Map<String, Object> volume = at(values, "ingester", "persistentVolume");
    assertThat(volume).containsKey("storageClass").doesNotContainKey("storageClassName");
    assertThat(volume.get("enabled")).isEqualTo(true);
    for (String part : List.of("store_gateway", "compactor")) {
      if (values.containsKey(part)) {
        assertThat(at(values, part, "persistentVolume"))
            .containsKey("storageClass")
            .doesNotContainKey("storageClassName");
      }
    }
    assertThat(values).doesNotContainKeys("store-gateway", "storeGateway");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"seed-004-flux-lgtm-pyroscope.yaml", "seed-001-lgtm-multitenant.yaml"})
  void mimirsStoreGatewayIsSnakeCased(String file) {
    Map<String, Object> values = values(file, RenderDriver.FLUX, "mimir");

    assertThat(at(values, "store_gateway", "persistentVolume")).containsKey("storageClass");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "seed-000-lgtm-ansible.yaml, FLUX",
    "seed-003-argocd-thanos-s3.yaml, ARGOCD",
    "seed-004-flux-lgtm-pyroscope.yaml, FLUX",
    "lgtm-multicluster.yaml, FLUX"
  })
  void tempoStorageIsTraceNotTraces(String file, RenderDriver driver) {
    Map<String, Object> storage = at(values(file, driver, "tempo"), "tempo", "storage");

    assertThat(storage).containsKey("trace").doesNotContainKey("traces");
    assertThat(at(storage, "trace")).containsKey("backend");
  }

  /** The Helm values of the first component of a type, from its HelmRelease or Application. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> values(String file, RenderDriver driver, String type) {
    StepRequested step =
        ExampleSteps.of(file, driver).stream()
            .filter(s -> type.equals(s.getComponentType()))
            .findFirst()
            .orElseThrow();
    List<HasMetadata> objects = new StepRenderer().render(step);
    if (driver == RenderDriver.ARGOCD) {
      var app = StepRendererTest.custom(objects, "Application");
      var source = (Map<String, Object>) StepRendererTest.spec(app).get("source");
      return (Map<String, Object>) ((Map<String, Object>) source.get("helm")).get("valuesObject");
    }
    GenericKubernetesResource release = StepRendererTest.custom(objects, "HelmRelease");
    return (Map<String, Object>) StepRendererTest.spec(release).get("values");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Map<String, Object> tree, String... path) {
    Object node = tree;
    for (String key : path) {
      assertThat(node).as("values at %s", String.join(".", path)).isInstanceOf(Map.class);
      node = ((Map<String, Object>) node).get(key);
    }
    assertThat(node).as("values at %s", String.join(".", path)).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }
}
