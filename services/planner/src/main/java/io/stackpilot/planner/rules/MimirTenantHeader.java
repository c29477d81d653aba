package io.stackpilot.planner.rules;

import java.util.List;

/** Every writer and datasource of a multi-tenant Mimir sends the tenant header. */
final class MimirTenantHeader extends SeedRule {
  MimirTenantHeader() {
    super(
        "MIMIR-TENANT-HEADER",
        Severity.ERROR,
        "001",
        "Mimir is multi-tenant by default, so each writer and each Grafana datasource must send"
            + " `X-Scope-OrgID`. Seed 001: \"Alloy sends all data (metrics and logs) with the"
            + " `X-Scope-OrgID` header\" and \"Grafana datasources must also include the"
            + " `X-Scope-OrgID` header when querying Mimir and Loki\".",
        "Typed: `tenantHeader: true`. Raw: `headers = {\"X-Scope-OrgID\" = \"${tenant}\"}` in"
            + " Alloy, `headers: {X-Scope-OrgID: ${tenant}}` in remoteWrite, or"
            + " `jsonData.httpHeaderName1: X-Scope-OrgID` with"
            + " `secureJsonData.httpHeaderValue1: ${tenant}` in Grafana.");
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    for (Endpoints.Endpoint e : views.endpoints(view)) {
      if (e.backend() == Endpoints.Backend.MIMIR
          && e.target() != null
          && Tenancy.mimirRequiresTenant(e.target())
          && !e.tenant().sent()) {
        out.add(
            finding(
                e.tenant().field(),
                e.what()
                    + " reaches Mimir '"
                    + e.target().spec().name()
                    + "' without X-Scope-OrgID: Mimir refuses requests with no tenant (401)"));
      }
    }
  }
}
