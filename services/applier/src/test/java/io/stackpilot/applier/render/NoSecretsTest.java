package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No rendered object of any golden case holds a secret value: credentials appear only as references
 * (a Secret's name or key, {@code ${ENV}} expanded from a Secret, a token file path). The scanner
 * is shown to catch planted secrets, so a pass means something.
 */
class NoSecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Field names that hold a credential when their value is a literal. */
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|access_?key|api_?key|credential|htpasswd).*");

  /** Field names that name a credential rather than hold it. */
  private static final Pattern REFERENCE_FIELD =
      Pattern.compile(
          "(?i).*(ref|name|file|path|envfromsecret|auth-secret)$|^existing.*|^secrets$"
              + "|^(password|user|token|clientid|clientsecret)key$");

  /** A value that points at a credential (${ENV} expansion, a mounted file) or is none. */
  private static final Pattern REFERENCE_VALUE =
      Pattern.compile("^(\\$\\{[A-Za-z0-9_]+\\}|/.*|true|false|)$");

  /** Assignments inside embedded text (provisioning YAML, Alloy/River, ini). */
  private static final Pattern EMBEDDED =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]*(?:password|passwd|secret|token|access_?key|api_?key)[A-Za-z0-9_.-]*)"
              + "\\s*[:=]\\s*\"?([^\"\\s,}]*)");

  /**
   * Credentials as the seeds show them in clear (seed 000/001's {@code grafana_admin_password:
   * admin}, the Grafana chart's {@code adminPassword}, seed 003's {@code curl -u alloy:<password>},
   * seed 000's scripted {@code -u admin:"$GRAFANA_PASSWORD"}): never in a cluster object. The
   * Secret key names the seeds use ({@code grafana_admin_password} as a {@code passwordKey}) are
   * references and allowed.
   */
  private static final List<String> SEED_LITERALS =
      List.of(
          "grafana_admin_password: admin",
          "adminPassword",
          "alloy:<password>",
          "<password>",
          "admin:\\\"$GRAFANA_PASSWORD",
          "BEGIN PRIVATE KEY",
          "BEGIN RSA PRIVATE KEY");

  @Test
  void noGoldenCaseRendersASecretValue() {
    List<String> findings = new ArrayList<>();
    GoldenFilesTest.cases()
        .forEach(
            a -> {
              String name = (String) a.get()[0];
              findings.addAll(
                  scan(GoldenFilesTest.renderAll(name, (RenderDriver) a.get()[1]), name));
            });

    assertThat(findings).isEmpty();
  }

  @Test
  void theScannerCatchesPlantedSecrets() {
    StepRequested step = Events.stepRequested("r1", "perso", "grafana");
    step.setValues(
        Map.of(
            "adminPassword", "hunter2",
            "loki.storage.s3.secretAccessKey", "wJalrXUtnFEMI",
            "grafana.ini.security.admin_password", "admin",
            "alloy.configMap.content", "loki.write \"x\" {\n  bearer_token = \"abc123\"\n}\n"));

    List<String> findings = scan(new StepRenderer().render(step), "planted");

    assertThat(String.join("\n", findings))
        .contains("hunter2")
        .contains("wJalrXUtnFEMI")
        .contains("admin_password")
        .contains("abc123")
        .contains("adminPassword");
  }

  static List<String> scan(List<HasMetadata> objects, String caseName) {
    List<String> findings = new ArrayList<>();
    for (HasMetadata o : objects) {
      String where = caseName + " " + o.getKind() + "/" + o.getMetadata().getName();
      walk(JSON.convertValue(o, Object.class), where, null, findings);
    }
    return findings;
  }

  private static void walk(Object node, String where, String parent, List<String> findings) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, where + "." + k, lastSegment(k.toString()), findings));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> walk(v, where + "[]", parent, findings));
    } else if (node instanceof String text) {
      check(parent, text, where, findings);
      SEED_LITERALS.stream()
          .filter(text::contains)
          .forEach(l -> findings.add(where + ": seed credential literal " + l));
      if (text.contains("\n")) {
        Matcher m = EMBEDDED.matcher(text);
        while (m.find()) {
          check(m.group(1), m.group(2), where + " (embedded)", findings);
        }
      }
    }
    if (parent != null && SEED_LITERALS.stream().anyMatch(parent::contains)) {
      findings.add(where + ": seed credential field " + parent);
    }
  }

  private static void check(String field, String value, String where, List<String> findings) {
    if (field != null
        && SECRET_FIELD.matcher(field).matches()
        && !REFERENCE_FIELD.matcher(field).matches()
        && !REFERENCE_VALUE.matcher(value).matches()) {
      findings.add(where + ": " + field + " holds a literal '" + value + "'");
    }
  }

  /** A record ConfigMap key is a flattened path; annotation keys keep their own dots. */
  private static String lastSegment(String key) {
    if (key.contains("/")) {
      return key;
    }
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }
}
