package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.LOKI_CHART;
import static io.stackpilot.planner.rules.Specs.LOKI_SCHEMA;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Loki's pitfalls: schema (000), StatefulSet storage class (000), retention (000/002/004). */
class LokiRulesTest {

  static String loki(String typed, String values) {
    return """
        components:
          - name: loki
            type: loki
            namespace: lgtm-system
            %s
        %s    values:
        %s"""
        .formatted(LOKI_CHART, typed.indent(4), values.indent(6));
  }

  static String loki(String values) {
    return loki("", values);
  }

  @Test
  void withoutSchemaConfig() {
    onlyFinding(
        stack(
            loki(
                """
                loki:
                  auth_enabled: false
                  storage:
                    bucketNames:
                      chunks: chunks
                      ruler: ruler
                      admin: admin
                gateway:
                  enabled: true
                """)),
        "LOKI-SCHEMA-CONFIG",
        "stack.spec.components[0].values.loki.schemaConfig");
    clean(
        stack(
            loki(
                """
                loki:
                  auth_enabled: false
                  storage:
                    bucketNames:
                      chunks: chunks
                      ruler: ruler
                      admin: admin
                %sgateway:
                  enabled: true
                """
                    .formatted(LOKI_SCHEMA.indent(2)))));
  }

  @Test
  void storageClassNameOnTheBackendStatefulSet() {
    String values =
        """
        loki:
          auth_enabled: false
        %sbackend:
          persistence:
            enabled: true
            volumeClaimsEnabled: true
            %s: lg-hdd-raw-x1-delete
            size: 50Gi
        """;
    onlyFinding(
        stack(loki(values.formatted(LOKI_SCHEMA.indent(2), "storageClassName"))),
        "LOKI-STORAGE-CLASS",
        "stack.spec.components[0].values.backend.persistence.storageClassName");
    clean(stack(loki(values.formatted(LOKI_SCHEMA.indent(2), "storageClass"))));
  }

  @Test
  void retentionWithoutCompactorRetention() {
    // seed 000's Loki values: the period at the chart root, no compactor
    onlyFinding(
        stack(
            loki(
                """
                loki:
                  auth_enabled: false
                %sstorage:
                  type: filesystem
                  filesystem:
                    directory: /loki/chunks

                limits_config:
                  retention_period: 168h
                """
                    .formatted(LOKI_SCHEMA.indent(2)))),
        "LOKI-RETENTION-COMPACTOR",
        "stack.spec.components[0].values.limits_config.retention_period");
    clean(
        stack(
            loki(
                """
                loki:
                  auth_enabled: false
                %s  limits_config:
                    retention_period: 168h
                  compactor:
                    retention_enabled: true
                    delete_request_store: filesystem
                """
                    .formatted(LOKI_SCHEMA.indent(2)))));
  }

  @Test
  void typedRetentionNeedsTheCompactorToo() {
    String values =
        """
        loki:
          auth_enabled: false
        %s  compactor:
            retention_enabled: %s
        """;
    onlyFinding(
        stack(loki("retention: 720h", values.formatted(LOKI_SCHEMA.indent(2), "false"))),
        "LOKI-RETENTION-COMPACTOR",
        "stack.spec.components[0].retention");
    clean(stack(loki("retention: 720h", values.formatted(LOKI_SCHEMA.indent(2), "true"))));
  }
}
