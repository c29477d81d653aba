package io.stackpilot.planner.rules;

import java.util.List;

/** Loki with auth enabled needs the tenant header from every client. */
final class LokiTenantHeader extends SeedRule {
  LokiTenantHeader() {
    super(
        "LOKI-TENANT-HEADER",
        Severity.ERROR,
        "003",
        "With `loki.auth_enabled: true` (the chart's default) every client sends the tenant."
            + " Seed 003: \"Loki multi-tenancy: `auth_enabled: true` with tenant ID `homelab` —"
            + " all clients must send `X-Scope-OrgID: homelab` header\".",
        "Typed: `tenantHeader: true`. Raw: `tenant_id = \"${tenant}\"` (or the X-Scope-OrgID"
            + " header) in Alloy's loki.write endpoint, `httpHeaderName1: X-Scope-OrgID` with"
            + " `httpHeaderValue1: ${tenant}` in Grafana; or set `loki.auth_enabled: false`.");
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    for (Endpoints.Endpoint e : views.endpoints(view)) {
      if (e.backend() == Endpoints.Backend.LOKI
          && e.target() != null
          && Tenancy.lokiRequiresTenant(e.target())
          && !e.tenant().sent()) {
        out.add(
            finding(
                e.tenant().field(),
                e.what()
                    + " reaches Loki '"
                    + e.target().spec().name()
                    + "', which has auth enabled, without X-Scope-OrgID: Loki answers 401 (no"
                    + " org id)"));
      }
    }
  }
}
