package io.stackpilot.planner.spec;

import java.util.List;

/**
 * Grafana's typed section (on a grafana component, or on kube-prometheus-stack for its bundled
 * Grafana): admin and OAuth credentials as Secret references, plugins, where dashboards come from,
 * and datasources, rendered per cluster (with {@code tenantHeader: true} each one sends the
 * cluster's tenant as {@code X-Scope-OrgID}).
 */
public record GrafanaSettings(
    StackSpec.SecretRef adminSecretRef,
    OAuth oauth,
    List<String> plugins,
    Dashboards dashboards,
    List<Datasource> datasources) {

  public List<Datasource> datasourcesOrEmpty() {
    return datasources == null ? List.of() : datasources;
  }

  /** OAuth login (seed 004: GitHub), client id and secret from a Secret. */
  public record OAuth(String provider, StackSpec.SecretRef secretRef) {}

  /**
   * Dashboards from ConfigMaps mounted into Grafana (seed 000) and/or from any ConfigMap carrying
   * the sidecar label (seed 004: {@code grafana_dashboard}).
   */
  public record Dashboards(List<String> configMaps, String sidecarLabel) {}

  /** A datasource: Grafana plugin type (prometheus, loki, tempo, ...), URL, default or not. */
  public record Datasource(
      String name, String type, String url, Boolean tenantHeader, Boolean isDefault) {
    public boolean sendsTenant() {
      return Boolean.TRUE.equals(tenantHeader);
    }
  }
}
