package io.stackpilot.planner.rules;

import java.util.List;

/** Seed 000 sends writes to the distributor, not through the gateway. */
final class MimirWriteDistributor extends SeedRule {
  MimirWriteDistributor() {
    super(
        "MIMIR-WRITE-DISTRIBUTOR",
        Severity.WARNING,
        "000",
        "A writer pushes to Mimir through the gateway. Seed 000: \"Use `mimir-distributor` for"
            + " ingestion (remote write) and `mimir-gateway` for queries. The gateway is not the"
            + " correct endpoint for ingestion.\" (Seed 004 pushes to the gateway's"
            + " `/api/v1/push`, which the gateway forwards to the distributor: a warning, not an"
            + " error.)",
        "Push to `http://<mimir>-distributor:8080/api/v1/push`.");
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    for (Endpoints.Endpoint e : views.endpoints(view)) {
      if (e.role() == Endpoints.Role.WRITER
          && e.backend() == Endpoints.Backend.MIMIR
          && MimirWriteEndpoint.pushPath(e.url())
          && Urls.firstLabel(e.url()).contains("gateway")) {
        out.add(
            finding(
                e.urlField(),
                e.what()
                    + " writes through the gateway ("
                    + Urls.host(e.url())
                    + "): seed 000 writes to the distributor"));
      }
    }
  }
}
