package io.stackpilot.planner.rules;

import java.util.List;

/** Writers push to Mimir's {@code /api/v1/push}, never under the gateway's query prefix. */
final class MimirWriteEndpoint extends SeedRule {
  MimirWriteEndpoint() {
    super(
        "MIMIR-WRITE-ENDPOINT",
        Severity.ERROR,
        "000",
        "A writer (Alloy `prometheus.remote_write`, Alloy typed writes, Prometheus remote_write)"
            + " pushes to Mimir on `/api/v1/push` (or OTLP on `/otlp`). Seed 000 changed the"
            + " remote write URL \"from `mimir-gateway:8080/prometheus/api/v1/push` to"
            + " `mimir-distributor:8080/api/v1/push` (distributor is the correct endpoint for"
            + " ingestion)\"; `/prometheus` is the prefix Grafana queries.",
        "Push to `http://<mimir>-distributor:8080/api/v1/push`.");
  }

  static boolean pushPath(String url) {
    String path = Urls.path(url);
    return !path.startsWith("/prometheus")
        && (path.endsWith("/api/v1/push") || path.startsWith("/otlp"));
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    for (Endpoints.Endpoint e : views.endpoints(view)) {
      if (e.role() == Endpoints.Role.WRITER
          && e.backend() == Endpoints.Backend.MIMIR
          && !pushPath(e.url())) {
        out.add(
            finding(
                e.urlField(),
                e.what()
                    + " writes to path '"
                    + Urls.path(e.url())
                    + "' on "
                    + Urls.host(e.url())
                    + ": Mimir ingests on /api/v1/push; /prometheus is the query prefix"));
      }
    }
  }
}
