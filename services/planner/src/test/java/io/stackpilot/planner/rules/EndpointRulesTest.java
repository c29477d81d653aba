package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.ALLOY_CHART;
import static io.stackpilot.planner.rules.Specs.GRAFANA_CHART;
import static io.stackpilot.planner.rules.Specs.KPS_CHART;
import static io.stackpilot.planner.rules.Specs.LOKI_CHART;
import static io.stackpilot.planner.rules.Specs.LOKI_SCHEMA;
import static io.stackpilot.planner.rules.Specs.MIMIR_CHART;
import static io.stackpilot.planner.rules.Specs.THREE_CLUSTERS;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.findings;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Who writes to and reads from Mimir and Loki, and with which tenant: seeds 000 and 001 (endpoints,
 * per-cluster tenants), 003 (Loki auth), 004 (remote write through the gateway).
 */
class EndpointRulesTest {

  static final String BACKENDS =
      """
      components:
        - name: mimir
          type: mimir
          namespace: lgtm-system
          %s
        - name: loki
          type: loki
          namespace: lgtm-system
          %s
          values:
            loki:
              auth_enabled: %s
      %s
      """
          .formatted(MIMIR_CHART, LOKI_CHART, "%s", LOKI_SCHEMA.indent(8));

  static String backends(boolean lokiAuth) {
    return BACKENDS.formatted(lokiAuth);
  }

  static String alloy(String river) {
    return """
          - name: alloy
            type: alloy
            namespace: lgtm-system
            %s
            dependsOn: [mimir, loki]
            values:
              alloy:
                configMap:
                  create: true
                  content: |
        %s"""
        .formatted(ALLOY_CHART, river.indent(12));
  }

  static String grafana(String datasources) {
    return """
          - name: grafana
            type: grafana
            namespace: lgtm-system
            %s
            dependsOn: [mimir]
            values:
              datasources:
                datasources.yaml:
                  apiVersion: 1
                  datasources:
        %s"""
        .formatted(GRAFANA_CHART, datasources.indent(10));
  }

  static final String REMOTE_WRITE =
      """
      // Prometheus remote write to Mimir
      // Using cluster-specific orgId for multi-tenancy
      prometheus.remote_write "mimir" {
        endpoint {
          url = "%s"
          headers = {
            "X-Scope-OrgID" = "%s",
          }
        }
      }
      """;

  @Test
  void remoteWriteUnderTheGatewaysQueryPrefix() {
    // seed 000: "Changed from mimir-gateway:8080/prometheus/api/v1/push to
    // mimir-distributor:8080/api/v1/push"
    onlyFinding(
        stack(
            backends(false)
                + alloy(
                    REMOTE_WRITE.formatted(
                        "http://mimir-gateway:8080/prometheus/api/v1/push", "homelab"))),
        "MIMIR-WRITE-ENDPOINT",
        "stack.spec.components[2].values.alloy.configMap.content");
    clean(
        stack(
            backends(false)
                + alloy(
                    REMOTE_WRITE.formatted(
                        "http://mimir-distributor:8080/api/v1/push", "homelab"))));
  }

  @Test
  void remoteWriteThroughTheGatewayIsAWarning() {
    // seed 004: Prometheus remote_write to the gateway's /api/v1/push
    String kps =
        """
        components:
          - name: mimir-distributed
            type: mimir
            namespace: observability
            %s
          - name: kube-prometheus-stack
            type: kube-prometheus-stack
            namespace: observability
            %s
            values:
              prometheus:
                prometheusSpec:
                  externalLabels:
                    cluster: homelab-cluster
                  remoteWrite:
                    - url: %s
                      headers:
                        X-Scope-OrgID: homelab
        """;
    onlyFinding(
        stack(
            kps.formatted(
                MIMIR_CHART,
                KPS_CHART,
                "http://mimir-distributed-gateway.observability.svc.cluster.local/api/v1/push")),
        "MIMIR-WRITE-DISTRIBUTOR",
        "stack.spec.components[1].values.prometheus.prometheusSpec.remoteWrite[0].url");
    assertThat(
            findings(
                stack(
                    kps.formatted(
                        MIMIR_CHART,
                        KPS_CHART,
                        "http://mimir-distributed-gateway.observability.svc.cluster.local/api/v1/push"))))
        .extracting(Finding::severity)
        .containsOnly(Severity.WARNING);
    clean(
        stack(
            kps.formatted(
                MIMIR_CHART,
                KPS_CHART,
                "http://mimir-distributed-distributor.observability.svc.cluster.local:8080/api/v1/push")));
  }

  static final String MIMIR_DATASOURCE =
      """
      - name: Mimir
        type: prometheus
        access: proxy
        url: %s
        uid: mimir-${tenant}
        editable: true
        jsonData:
          httpMethod: POST
      %s  version: 1
      """;

  /** Seed 001's tenant header on a datasource, for the value given. */
  static String header(String value) {
    return """
        # Add X-Scope-OrgID header for Mimir multi-tenancy
        httpHeaderName1: "X-Scope-OrgID"
      secureJsonData:
        # Set the orgId value for this cluster's datasource
        httpHeaderValue1: "%s"
      """
        .formatted(value)
        .indent(2);
  }

  static final String TENANT_HEADER = header("${tenant}");

  @Test
  void grafanaQueriesMimirOnTheGatewaysPrometheusPrefix() {
    // seed 000: "url: http://mimir-gateway:80/prometheus  # Not http://mimir:9009"
    onlyFinding(
        stack(
            backends(false)
                + grafana(MIMIR_DATASOURCE.formatted("http://mimir:9009", TENANT_HEADER))),
        "MIMIR-QUERY-GATEWAY",
        "stack.spec.components[2].values.datasources[\"datasources.yaml\"].datasources[0].url");
    clean(
        stack(
            backends(false)
                + grafana(
                    MIMIR_DATASOURCE.formatted(
                        "http://mimir-gateway:80/prometheus", TENANT_HEADER))));
  }

  @Test
  void aMimirDatasourceWithoutTheTenantHeader() {
    // seed 001: "Grafana datasources must also include the X-Scope-OrgID header"
    onlyFinding(
        stack(
            backends(false)
                + grafana(MIMIR_DATASOURCE.formatted("http://mimir-gateway:80/prometheus", ""))),
        "MIMIR-TENANT-HEADER",
        "stack.spec.components[2].values.datasources[\"datasources.yaml\"].datasources[0].jsonData");
    clean(
        stack(
            backends(false)
                + grafana(
                    MIMIR_DATASOURCE.formatted(
                        "http://mimir-gateway:80/prometheus", TENANT_HEADER))));
  }

  @Test
  void mimirWithoutMultitenancyNeedsNoHeader() {
    String mimir =
        """
        components:
          - name: mimir
            type: mimir
            namespace: lgtm-system
            %s
            values:
              mimir:
                structuredConfig:
                  multitenancy_enabled: false
        """
            .formatted(MIMIR_CHART);
    clean(
        stack(
            mimir + grafana(MIMIR_DATASOURCE.formatted("http://mimir-gateway:80/prometheus", ""))));
  }

  static final String LOKI_WRITE =
      """
      loki.write "loki" {
        endpoint {
          url = "http://loki-gateway:80/loki/api/v1/push"
      %s  }
      }
      """;

  @Test
  void lokiWithAuthNeedsTheTenantFromEveryClient() {
    // seed 003: "auth_enabled: true with tenant ID homelab - all clients must send
    // X-Scope-OrgID: homelab header"
    onlyFinding(
        stack(backends(true) + alloy(LOKI_WRITE.formatted(""))),
        "LOKI-TENANT-HEADER",
        "stack.spec.components[2].values.alloy.configMap.content");
    clean(stack(backends(true) + alloy(LOKI_WRITE.formatted("    tenant_id = \"homelab\"\n"))));
    clean(stack(backends(false) + alloy(LOKI_WRITE.formatted(""))));
  }

  @Test
  void lokiAuthAndATypedWriterWithoutTenantHeader() {
    String typed =
        """
          - name: alloy
            type: alloy
            namespace: monitoring
            %s
            alloy:
              mode: agent
              writes:
                - {signal: logs, url: "http://loki.monitoring.svc:3100/loki/api/v1/push"%s}
        """;
    onlyFinding(
        stack(backends(true) + typed.formatted(ALLOY_CHART, "")),
        "LOKI-TENANT-HEADER",
        "stack.spec.components[2].alloy.writes[0].tenantHeader");
    clean(stack(backends(true) + typed.formatted(ALLOY_CHART, ", tenantHeader: true")));
  }

  static final String SEED_001_ALLOY =
      REMOTE_WRITE.formatted("http://mimir-distributor:8080/api/v1/push", "%1$s")
          + """

          loki.write "loki" {
            endpoint {
              url = "http://loki-gateway:80/loki/api/v1/push"
              headers = {
                "X-Scope-OrgID" = "%1$s",
              }
            }
          }
          """;

  @Test
  void aLiteralTenantIsWrongOnEveryOtherCluster() {
    // seed 001: mimir_org_id: "foundation" is the default, to be overridden per cluster
    onlyFinding(
        stack(backends(true) + alloy(SEED_001_ALLOY.formatted("foundation")), THREE_CLUSTERS),
        "TENANT-HEADER-PER-CLUSTER",
        "stack.spec.components[2].values.alloy.configMap.content");
    assertThat(
            findings(
                stack(
                    backends(true) + alloy(SEED_001_ALLOY.formatted("foundation")),
                    THREE_CLUSTERS)))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("'foundation'")
                    .contains("cryptellation (tenant 'cryptellation'), perso (tenant 'perso')"));
    clean(stack(backends(true) + alloy(SEED_001_ALLOY.formatted("${tenant}")), THREE_CLUSTERS));
  }

  @Test
  void aLiteralTenantSetPerClusterInTheFleetIsRight() {
    // the seed's way: mimir_org_id overridden per cluster (inventory vars)
    String fleet =
        """
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: homelab}
        spec:
          clusters:
            - name: foundation
              tenant: foundation
            - name: perso
              tenant: perso
              overrides:
                alloy:
                  values:
                    alloy:
                      configMap:
                        content: |
        %s"""
            .formatted(SEED_001_ALLOY.formatted("%1$s").indent(18));
    clean(
        stack(
            backends(true) + alloy(SEED_001_ALLOY.formatted("foundation")),
            fleet.formatted("perso")));
    onlyFinding(
        stack(
            backends(true) + alloy(SEED_001_ALLOY.formatted("foundation")),
            fleet.formatted("cryptellation")),
        "TENANT-HEADER-PER-CLUSTER",
        "fleet.spec.clusters[1].overrides.alloy.values.alloy.configMap.content");
  }

  @Test
  void aFederatedListMustIncludeTheClustersOwnTenant() {
    String url = "http://mimir-gateway:80/prometheus";
    clean(
        stack(
            backends(false)
                + grafana(
                    MIMIR_DATASOURCE.formatted(url, header("foundation|cryptellation|perso"))),
            THREE_CLUSTERS));
    onlyFinding(
        stack(
            backends(false) + grafana(MIMIR_DATASOURCE.formatted(url, header("foundation|perso"))),
            THREE_CLUSTERS),
        "TENANT-HEADER-PER-CLUSTER",
        "stack.spec.components[2].values.datasources[\"datasources.yaml\"].datasources[0]"
            + ".secureJsonData.httpHeaderValue1");
  }
}
