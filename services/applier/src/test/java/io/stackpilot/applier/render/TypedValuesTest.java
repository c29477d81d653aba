package io.stackpilot.applier.render;

import static io.stackpilot.applier.render.StepRendererTest.custom;
import static io.stackpilot.applier.render.StepRendererTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A step with {@code valuesJson} renders its values as declared: a float, a quoted number, a "true"
 * string, dotted keys and a list reach the HelmRelease and the Application typed. A step without it
 * (written before it existed) still renders, its types guessed back as {@code helm --set} does.
 */
class TypedValuesTest {
  /** What the planner writes for its TypedValuesTest stack on perso (that test checks it). */
  static final Path PLANNED = Path.of("src/test/resources/golden/typed-values.json");

  final StepRenderer renderer = new StepRenderer();

  @Test
  void aHelmReleaseGetsTheValuesAsDeclared() throws IOException {
    Map<String, Object> values = helmReleaseValues(typedStep());

    Map<String, Object> ini = map(values.get("grafana.ini"));
    assertThat(map(ini.get("tracing.opentelemetry")))
        .containsEntry("sampler_param", 0.25)
        .containsEntry("sampler_type", "probabilistic");
    assertThat(map(ini.get("auth.github"))).containsEntry("enabled", true);
    assertThat(map(ini.get("server")))
        .containsEntry("root_url", "https://perso.grafana.example.org");
    assertThat(map(values.get("podLabels"))).containsEntry("shard", "1");
    assertThat(map(values.get("env"))).containsEntry("GF_ANALYTICS_REPORTING_ENABLED", "true");
    assertThat(values.get("plugins"))
        .isEqualTo(List.of("grafana-clock-panel", "grafana-polystat-panel"));
    assertThat(values.get("replicas")).isEqualTo(2);
  }

  @Test
  void anArgoCdApplicationGetsTheSameTypedValues() throws IOException {
    StepRequested step = typedStep();
    Map<String, Object> flux = helmReleaseValues(step);
    step.setDriver(RenderDriver.ARGOCD);

    Map<String, Object> source =
        map(spec(custom(renderer.render(step), "Application")).get("source"));

    assertThat(map(source.get("helm")).get("valuesObject")).isEqualTo(flux);
  }

  @Test
  void theRecordStillShowsTheFlattenedValues() throws IOException {
    ConfigMap record =
        (ConfigMap)
            renderer.render(typedStep()).stream()
                .filter(o -> o.getKind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow();

    assertThat(record.getData())
        .containsEntry("values.grafana.ini.tracing.opentelemetry.sampler_param", "0.25")
        .containsEntry("values.podLabels.shard", "1");
  }

  @Test
  void aStepWithoutValuesJsonFallsBackToTypesGuessedAsHelmSetDoes() throws IOException {
    StepRequested old = typedStep();
    old.setValuesJson(null);

    Map<String, Object> values = helmReleaseValues(old);

    // what typed values fix: a float stays a string, quoted numbers and "true" lose their quotes
    Map<String, Object> ini = map(values.get("grafana.ini"));
    assertThat(map(ini.get("tracing.opentelemetry"))).containsEntry("sampler_param", "0.25");
    assertThat(map(ini.get("auth.github"))).containsEntry("enabled", true);
    assertThat(map(values.get("podLabels"))).containsEntry("shard", 1L);
    assertThat(map(values.get("env"))).containsEntry("GF_ANALYTICS_REPORTING_ENABLED", true);
    assertThat(values.get("plugins"))
        .isEqualTo(List.of("grafana-clock-panel", "grafana-polystat-panel"));
    assertThat(values.get("replicas")).isEqualTo(2L);
  }

  @Test
  void valuesJsonThatIsNotAnObjectIsRefusedNamingTheField() throws IOException {
    StepRequested step = typedStep();
    step.setValuesJson("[1, 2]");
    assertThatThrownBy(() -> renderer.render(step))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("valuesJson");
    step.setValuesJson("{\"replicas\": ");
    assertThatThrownBy(() -> renderer.render(step))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("valuesJson");
  }

  /**
   * The planner's grafana step on perso: its typed values, and the flattened form it writes beside
   * them (as ComponentValues.flatten gives it).
   */
  private static StepRequested typedStep() throws IOException {
    String json = Files.readString(PLANNED).strip();
    StepRequested step = Events.stepRequested("r1", "perso", "grafana");
    step.setComponentType("grafana");
    step.setValuesJson(json);
    Map<String, String> flat = new TreeMap<>();
    ExampleSteps.flatten("", HelmValues.fromJson(json), flat);
    step.setValues(flat);
    return step;
  }

  private Map<String, Object> helmReleaseValues(StepRequested step) {
    List<HasMetadata> objects = renderer.render(step);
    return map(spec(custom(objects, "HelmRelease")).get("values"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }
}
