package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.FleetSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A tenant header written as a literal must be the tenant of the cluster it runs on. */
final class TenantHeaderPerCluster extends SeedRule {
  /** In values, stands for the tenant of the cluster the values are rendered for. */
  static final String PLACEHOLDER = "${tenant}";

  TenantHeaderPerCluster() {
    super(
        "TENANT-HEADER-PER-CLUSTER",
        Severity.ERROR,
        "001",
        "Every writer and datasource on a cluster sends that cluster's tenant (the fleet's"
            + " `clusters[].tenant`). Seed 001: \"Each cluster deploys its own Alloy collector,"
            + " which sends metrics to Mimir with the cluster-specific orgId via the"
            + " X-Scope-OrgID header\"; its default `mimir_org_id: \"foundation\"` must be"
            + " overridden per cluster. A literal header is checked against every cluster's"
            + " tenant (after that cluster's overrides); `${tenant}` and typed `tenantHeader:"
            + " true` are right by construction. A federated list (tenants joined by a pipe) must include the"
            + " cluster's own tenant.",
        "Write `${tenant}` instead of the literal (Stackpilot renders each cluster's tenant), use"
            + " typed `tenantHeader: true`, or set the literal per cluster in the fleet's"
            + " `clusters[].overrides`.");
  }

  @Override
  List<Finding> check(Views views) {
    List<FleetSpec.Cluster> clusters = StackView.clusters(views.declared());
    Set<String> tenants =
        clusters.stream().map(FleetSpec.Cluster::tenant).collect(Collectors.toSet());
    Map<String, Set<String>> wrongByField = new LinkedHashMap<>();
    Map<String, String> whatByField = new LinkedHashMap<>();
    // every cluster's view, since the tenant differs; endpoints are read once per distinct view
    for (StackView view : views.all()) {
      if (view.declaredView()) {
        continue;
      }
      String tenant = view.cluster().tenant();
      for (Endpoints.Endpoint e : views.endpoints(view)) {
        String value = e.tenant().value();
        if (!e.tenant().literal() || fits(value, tenant, tenants)) {
          continue;
        }
        String key = e.tenant().field() + "\n" + value;
        wrongByField
            .computeIfAbsent(key, k -> new LinkedHashSet<>())
            .add(view.cluster().name() + " (tenant '" + tenant + "')");
        whatByField.putIfAbsent(key, e.what());
      }
    }
    List<Finding> out = new ArrayList<>();
    wrongByField.forEach(
        (key, where) -> {
          String field = key.substring(0, key.indexOf('\n'));
          String value = key.substring(key.indexOf('\n') + 1);
          out.add(
              finding(
                  field,
                  whatByField.get(key)
                      + " sends X-Scope-OrgID '"
                      + value
                      + "' on "
                      + String.join(", ", where)
                      + ": that cluster's telemetry lands in, or is read from, another tenant"));
        });
    return out;
  }

  private static boolean fits(String value, String tenant, Set<String> tenants) {
    if (PLACEHOLDER.equals(value) || value.equals(tenant)) {
      return true;
    }
    List<String> parts = Arrays.stream(value.split("\\|")).map(String::trim).toList();
    return parts.size() > 1 && parts.contains(tenant) && tenants.containsAll(parts);
  }
}
