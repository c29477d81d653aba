package io.stackpilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's own monitoring as the chart ships it: the PrometheusRule carries exactly the
 * groups of files/stackpilot-rules.yaml, which Debian's promtool accepts (as rendered, too); the
 * dashboard ConfigMap carries the dashboard JSON with the sidecar's label; the ServiceMonitor keeps
 * the services' own {@code service} label. (MetricsE2E checks that every metric they name is
 * scraped.)
 */
class ObservabilityChartTest {
  static final Path CHART = HelmChartTest.CHART;
  static final Path RULES = CHART.resolve("files/stackpilot-rules.yaml");
  static final Path DASHBOARD = CHART.resolve("files/stackpilot-dashboard.json");

  @Test
  void rulesFilePassesPromtool() {
    String out = promtool("check", "rules", RULES.toString());
    assertThat(out).contains("SUCCESS: 5 rules found");
  }

  @Test
  void promtoolRefusesABrokenRule(@TempDir Path dir) throws IOException {
    // the check above can fail: the same file with one expression broken does not pass
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken,
        Files.readString(RULES)
            .replace("increase(stackpilot_dead_letters_total[10m])", "increase(stackpilot_dead"));
    assertThat(promtoolExit(dir, "check", "rules", broken.toString())).isNotZero();
  }

  @Test
  void productionVariantRendersTheRulesAndTheDashboard(@TempDir Path dir) throws IOException {
    Manifests m = render(true);
    JsonNode rule = m.get("PrometheusRule", HelmChartTest.RELEASE + "-stackpilot");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    JsonNode file = Manifests.YAML.readTree(RULES.toFile());
    assertThat(rule.path("spec")).isEqualTo(file);
    // what Helm rendered is still a valid rules file
    Path rendered = dir.resolve("rendered-rules.yaml");
    Manifests.YAML.writeValue(rendered.toFile(), rule.path("spec"));
    assertThat(promtool("check", "rules", rendered.toString())).contains("SUCCESS: 5 rules found");
    List<String> alerts = new ArrayList<>();
    rule.at("/spec/groups/0/rules").forEach(r -> alerts.add(r.path("alert").asText()));
    assertThat(alerts)
        .containsExactly(
            "StackpilotServiceDown",
            "StackpilotConsumerLagGrowing",
            "StackpilotDeadLetters",
            "StackpilotNotificationsFailing",
            "StackpilotApplyFailures");

    JsonNode dashboard = m.get("ConfigMap", HelmChartTest.RELEASE + "-stackpilot-dashboard");
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(dashboard.at("/metadata/annotations/grafana_folder").asText())
        .isEqualTo("Stackpilot");
    ObjectMapper json = new ObjectMapper();
    JsonNode shipped = json.readTree(dashboard.at("/data/stackpilot-dashboard.json").asText());
    assertThat(shipped).isEqualTo(json.readTree(DASHBOARD.toFile()));
    assertThat(shipped.path("uid").asText()).isEqualTo("stackpilot-platform");
    assertThat(shipped.findValues("expr")).hasSizeGreaterThanOrEqualTo(10);

    JsonNode monitor = m.get("ServiceMonitor", HelmChartTest.RELEASE + "-stackpilot");
    assertThat(monitor.at("/spec/endpoints/0/honorLabels").asBoolean()).isTrue();
  }

  @Test
  void defaultsRenderNeitherRulesNorDashboard() {
    Manifests m = render(false);
    assertThat(m.ofKind("PrometheusRule")).isEmpty();
    assertThat(m.find("ConfigMap", HelmChartTest.RELEASE + "-stackpilot-dashboard")).isEmpty();
  }

  private static Manifests render(boolean production) {
    var template =
        new Helm(CHART)
            .template()
            .withName(HelmChartTest.RELEASE)
            .withNamespace(HelmChartTest.NAMESPACE);
    if (production) {
      template =
          template.withValuesFile(
              Path.of("src/test/resources/values-production.yaml").toAbsolutePath());
    }
    return Manifests.parse(template.call());
  }

  /** Runs Debian's promtool; its output, or the test fails with it (and the exit code). */
  private static String promtool(String... args) {
    try {
      Path out = Files.createTempFile("promtool", ".log");
      int exit = run(out, args);
      String text = Files.readString(out);
      Files.delete(out);
      assertThat(exit).as("promtool %s:%n%s", String.join(" ", args), text).isZero();
      return text;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int promtoolExit(Path dir, String... args) throws IOException {
    return run(dir.resolve("promtool.log"), args);
  }

  private static int run(Path out, String... args) throws IOException {
    Path binary = Path.of("/usr/bin/promtool");
    assertThat(Files.isExecutable(binary))
        .as(
            "promtool is not installed: this test needs the real one. Install it with `apt-get"
                + " install -y prometheus` (.ci/run does)")
        .isTrue();
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return p.exitValue();
  }
}
