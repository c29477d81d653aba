package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.ALLOY_CHART;
import static io.stackpilot.planner.rules.Specs.GRAFANA_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.findings;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Credentials are referenced, never written (seed 000's fallback password; seeds 002-004 SOPS). */
class SecretInlineTest {

  static String grafana(String values) {
    return """
        components:
          - name: grafana
            type: grafana
            namespace: lgtm-system
            %s
            values:
        %s"""
        .formatted(GRAFANA_CHART, values.indent(6));
  }

  @Test
  void theSeedsFallbackAdminPassword() {
    // seed 000: "grafana_admin_password: admin" (a fallback default)
    onlyFinding(
        stack(grafana("adminPassword: admin\n")),
        "SECRET-INLINE",
        "stack.spec.components[0].values.adminPassword");
    clean(
        stack(
            grafana(
                """
                admin:
                  existingSecret: grafana-admin-secret
                  passwordKey: admin-password
                """)));
  }

  @Test
  void theMessageNeverRepeatsTheSecret() {
    assertThat(findings(stack(grafana("adminPassword: hunter2\n"))))
        .allSatisfy(f -> assertThat(f.message() + f.hint()).doesNotContain("hunter2"));
  }

  @Test
  void anOAuthClientSecretAsAnEnvironmentVariable() {
    // seed 004: GF_AUTH_GITHUB_CLIENT_SECRET belongs in the grafana-github-oauth Secret
    onlyFinding(
        stack(
            grafana(
                """
                env:
                  GF_AUTH_GITHUB_CLIENT_ID: "<github oauth client id>"
                  GF_AUTH_GITHUB_CLIENT_SECRET: "<github oauth client secret>"
                """)),
        "SECRET-INLINE",
        "stack.spec.components[0].values.env.GF_AUTH_GITHUB_CLIENT_SECRET");
    onlyFinding(
        stack(
            grafana(
                """
                extraEnv:
                  - name: GF_AUTH_GITHUB_CLIENT_SECRET
                    value: "<github oauth client secret>"
                """)),
        "SECRET-INLINE",
        "stack.spec.components[0].values.extraEnv[0].value");
    clean(stack(grafana("envFromSecret: grafana-github-oauth\n")));
  }

  @Test
  void aPasswordInAnAlloyConfigOrAUrl() {
    // seed 003: external writes with basic auth (curl -u alloy:<password>)
    String alloy =
        """
        components:
          - name: alloy
            type: alloy
            namespace: monitoring
            %s
            values:
              alloy:
                configMap:
                  content: |
                    prometheus.remote_write "k8s" {
                      endpoint {
                        url = "https://prometheus.sharmamohit.com/api/v1/write"
                        basic_auth {
                          username = "alloy"
                          password = %s
                        }
                      }
                    }
        """;
    onlyFinding(
        stack(alloy.formatted(ALLOY_CHART, "\"<password>\"")),
        "SECRET-INLINE",
        "stack.spec.components[0].values.alloy.configMap.content");
    clean(stack(alloy.formatted(ALLOY_CHART, "sys.env(\"ALLOY_PASSWORD\")")));
    onlyFinding(
        stack(
            grafana(
                "remoteWriteUrl: https://alloy:s3cr3t@prometheus.sharmamohit.com/api/v1/write\n")),
        "SECRET-INLINE",
        "stack.spec.components[0].values.remoteWriteUrl");
  }

  @Test
  void inlineObjectStoreConfigText() {
    String thanos =
        """
        components:
          - name: thanos
            type: thanos
            namespace: monitoring
            %s
            objectStorage:
              secretRef: {name: thanos-objstore-secret, keys: {objstore: objstore.yml}}
            values:
              objstoreConfig: |-
                type: s3
                config:
                  bucket: thanos-metrics
                  endpoint: seaweedfs.sharmamohit.com:8333
                  access_key: %s
                  secret_key: %s
        """;
    onlyFinding(
        stack(thanos.formatted(Specs.THANOS_CHART, "observability", "not-a-real-key")),
        "SECRET-INLINE",
        "stack.spec.components[0].values.objstoreConfig");
    clean(stack(thanos.formatted(Specs.THANOS_CHART, "${S3_ACCESS_KEY}", "${S3_SECRET_KEY}")));
  }
}
