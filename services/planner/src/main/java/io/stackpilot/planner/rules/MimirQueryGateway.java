package io.stackpilot.planner.rules;

import java.util.List;

/** Grafana queries Mimir through the gateway's {@code /prometheus} prefix. */
final class MimirQueryGateway extends SeedRule {
  MimirQueryGateway() {
    super(
        "MIMIR-QUERY-GATEWAY",
        Severity.ERROR,
        "000",
        "A Grafana Prometheus datasource for Mimir queries the gateway's `/prometheus`. Seed"
            + " 000: \"The Mimir datasource URL must point to the gateway for queries: url:"
            + " http://mimir-gateway:80/prometheus # Not http://mimir:9009\".",
        "Set the datasource URL to `http://<mimir>-gateway:80/prometheus`.");
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    for (Endpoints.Endpoint e : views.endpoints(view)) {
      if (e.role() == Endpoints.Role.DATASOURCE
          && e.backend() == Endpoints.Backend.MIMIR
          && !Urls.path(e.url()).startsWith("/prometheus")) {
        out.add(
            finding(
                e.urlField(),
                e.what()
                    + " queries Mimir at "
                    + Urls.host(e.url())
                    + " path '"
                    + Urls.path(e.url())
                    + "': Mimir's Prometheus API is the gateway's /prometheus"));
      }
    }
  }
}
