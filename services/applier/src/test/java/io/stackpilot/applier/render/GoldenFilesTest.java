package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeds' stacks render to the objects in src/test/resources/golden/, byte for byte. After a
 * deliberate change, regenerate them with {@code ./mvnw -B -o verify -pl services/applier
 * -Dtest=GoldenFilesTest -Dgolden.update=true} and review the diff like code.
 */
class GoldenFilesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

  /**
   * Each example with the driver its seed uses; seed 003 is the Argo CD one, plus a manifests case.
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("seed-000-lgtm-ansible", null),
        Arguments.of("seed-001-lgtm-multitenant", null),
        Arguments.of("seed-002-kube-prometheus-loki-flux", null),
        Arguments.of("seed-003-argocd-thanos-s3", RenderDriver.ARGOCD),
        Arguments.of("seed-004-flux-lgtm-pyroscope", null),
        Arguments.of("lgtm-multicluster", null),
        Arguments.of("lgtm-multicluster-manifests", RenderDriver.MANIFESTS));
  }

  /** The example file of a case: a case name may add a suffix for its driver. */
  static String exampleOf(String caseName) {
    return caseName.replace("-manifests", "") + ".yaml";
  }

  static List<HasMetadata> renderAll(String caseName, RenderDriver driver) {
    List<HasMetadata> all = new ArrayList<>();
    for (StepRequested step : ExampleSteps.of(exampleOf(caseName), driver)) {
      all.addAll(new StepRenderer().render(step));
    }
    return all;
  }

  static String yaml(List<HasMetadata> objects) throws IOException {
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : objects) {
      // through a plain tree, so the golden files do not depend on fabric8's model classes
      out.append(YAML.writeValueAsString(YAML.convertValue(o, Map.class)));
    }
    return out.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theStackRendersAsItsGoldenFile(String caseName, RenderDriver driver) throws IOException {
    String actual = yaml(renderAll(caseName, driver));
    Path golden = GOLDEN.resolve(caseName + ".yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual);
    }
    assertThat(golden).as("golden file (regenerate with -Dgolden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }
}
