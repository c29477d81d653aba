package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.GrafanaSettings;
import io.stackpilot.planner.spec.StackSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Secrets are referenced, never written into the stack. */
final class SecretInline extends SeedRule {
  private static final List<String> SECRET_WORDS =
      List.of(
          "password",
          "passwd",
          "token",
          "secret",
          "apikey",
          "accesskey",
          "accesskeyid",
          "secretkey",
          "secretaccesskey");
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{[^}]+\\}|\\$__(file|env|vault)\\{[^}]*\\}");
  private static final Pattern YAML_LINE =
      Pattern.compile("(?m)^\\s*-?\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*:\\s*['\"]?([^'\"#\\s]+)");

  SecretInline() {
    super(
        "SECRET-INLINE",
        Severity.ERROR,
        "000",
        "A credential is written as a value: a key named like password, token, secret, apiKey,"
            + " accessKey or secretKey with a literal value (in values, in an env entry, in an"
            + " Alloy config or inline YAML text), or a password in a URL. References are fine:"
            + " `existingSecret`, `secretRef`, `*_file`, `${VAR}`, `$__file{}`. Seed 000: \"Store"
            + " sensitive data (like Grafana passwords) in git-crypted files\" (its fallback"
            + " `grafana_admin_password: admin` is the pitfall); seeds 002-004 keep credentials"
            + " in SOPS-encrypted Secrets.",
        "Put the value in a Secret and reference it: typed `secretRef` / `adminSecretRef`, or the"
            + " chart's `existingSecret`, `envFromSecret`, `valueFrom.secretKeyRef`, `*_file`.");
  }

  /** Whether a key names a credential (and is not itself a reference to one). */
  static boolean secretKey(String key) {
    if (key.contains(".") || key.contains("/")) {
      return false; // annotations such as nginx.ingress.kubernetes.io/auth-secret name Secrets
    }
    String n = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    if (n.startsWith("existing")
        || n.startsWith("envfrom")
        || n.contains("secretname")
        || n.endsWith("secretref")) {
      return false;
    }
    return SECRET_WORDS.stream().anyMatch(n::endsWith);
  }

  static boolean literal(Object value) {
    if (value instanceof Number) {
      return true;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return false;
    }
    return !REFERENCE.matcher(s.trim()).matches();
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    Values.walk(c.values(), VPath.ROOT, (path, node) -> node(c, path, node, out));
    for (String[] url : typedUrls(c.spec())) {
      if (Urls.hasPassword(url[1])) {
        out.add(finding(c.field(url[0]), "the URL carries a password"));
      }
    }
  }

  private void node(StackView.ComponentView c, VPath path, Object node, List<Finding> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (secretKey(String.valueOf(k)) && literal(v)) {
              out.add(
                  finding(
                      c.field(path.key(String.valueOf(k))),
                      "`" + k + "` holds a literal credential"));
            }
          });
      Object name = map.get("name");
      if (name instanceof String n && secretKey(n) && literal(map.get("value"))) {
        out.add(
            finding(
                c.field(path.key("value")),
                "environment variable " + n + " holds a literal credential"));
      }
    } else if (node instanceof String text) {
      text(c, path, text, out);
    }
  }

  private void text(StackView.ComponentView c, VPath path, String text, List<Finding> out) {
    if (Urls.hasPassword(text.trim())) {
      out.add(finding(c.field(path), "the URL carries a password"));
      return;
    }
    if (!text.contains("\n")) {
      return;
    }
    for (String[] attr : River.attributes(text)) {
      if (secretKey(attr[0]) && literal(attr[1])) {
        out.add(
            finding(c.field(path), "`" + attr[0] + "` in this text holds a literal credential"));
        return;
      }
    }
    Matcher m = YAML_LINE.matcher(text);
    while (m.find()) {
      if (secretKey(m.group(1)) && literal(m.group(2))) {
        out.add(
            finding(c.field(path), "`" + m.group(1) + "` in this text holds a literal credential"));
        return;
      }
    }
  }

  /** Typed fields that hold URLs, as (relative field, url). */
  private static List<String[]> typedUrls(StackSpec.Component c) {
    List<String[]> out = new ArrayList<>();
    if (c.objectStorage() != null) {
      out.add(new String[] {"objectStorage.endpoint", c.objectStorage().endpoint()});
    }
    if (c.alloy() != null) {
      for (int i = 0; i < c.alloy().writesOrEmpty().size(); i++) {
        out.add(new String[] {"alloy.writes[" + i + "].url", c.alloy().writes().get(i).url()});
      }
    }
    if (c.prometheus() != null) {
      List<StackSpec.Write> rw = c.prometheus().remoteWriteOrEmpty();
      for (int i = 0; i < rw.size(); i++) {
        out.add(new String[] {"prometheus.remoteWrite[" + i + "].url", rw.get(i).url()});
      }
    }
    if (c.grafana() != null) {
      List<GrafanaSettings.Datasource> ds = c.grafana().datasourcesOrEmpty();
      for (int i = 0; i < ds.size(); i++) {
        out.add(new String[] {"grafana.datasources[" + i + "].url", ds.get(i).url()});
      }
    }
    for (int i = 0; i < c.probesOrEmpty().size(); i++) {
      out.add(new String[] {"probes[" + i + "].url", c.probes().get(i).url()});
    }
    if (c.ntfy() != null) {
      out.add(new String[] {"ntfy.baseUrl", c.ntfy().baseUrl()});
    }
    return out;
  }
}
