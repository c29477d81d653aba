package io.stackpilot.applier.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Alloy configuration from the alloy typed settings: a pipeline per signal that has a
 * writer, every writer sending {@code X-Scope-OrgID} with the cluster's tenant where the spec asks
 * for it ({@code tenantHeader: true}).
 *
 * <p>An agent (DaemonSet) reads pod logs from {@code /var/log/pods} (seeds 000-004) and scrapes
 * pods annotated {@code prometheus.io/scrape: "true"}; a gateway (Deployment) receives OTLP and,
 * when declared, Faro browser telemetry, and forwards each signal to its writer. An agent with
 * {@code otlp} declared receives OTLP too. Profiles are not generated: their sources (eBPF, pprof
 * scrapes) are not in the typed settings.
 */
final class AlloyConfig {
  static final String TENANT_HEADER = "X-Scope-OrgID";

  private AlloyConfig() {}

  /** A writer of one signal: its component label, URL and whether it sends the tenant. */
  record Writer(String signal, String url, boolean tenantHeader) {}

  /** The configuration, or null when the settings declare no writer (nothing to generate). */
  static String render(JsonNode alloy, String tenant) {
    List<Writer> writers = new ArrayList<>();
    for (JsonNode w : ComponentSettings.items(alloy.path("writes"))) {
      writers.add(
          new Writer(
              ComponentSettings.text(w, "signal"),
              ComponentSettings.text(w, "url"),
              ComponentSettings.flag(w, "tenantHeader")));
    }
    if (writers.isEmpty()) {
      return null;
    }
    boolean gateway = "gateway".equals(ComponentSettings.text(alloy, "mode"));
    Writer logs = first(writers, "logs");
    Writer metrics = first(writers, "metrics");
    Writer traces = first(writers, "traces");
    StringBuilder out = new StringBuilder();
    if (!gateway && logs != null) {
      podLogs(out);
    }
    if (!gateway && metrics != null) {
      podMetrics(out);
    }
    JsonNode otlp = alloy.path("otlp");
    if (gateway || !otlp.isMissingNode()) {
      otlpReceiver(out, otlp, logs, metrics, traces);
    }
    JsonNode faro = alloy.path("faro");
    if (!faro.isMissingNode() && (logs != null || traces != null)) {
      faroReceiver(out, faro.path("port").asInt(12347), logs, traces);
    }
    if (logs != null) {
      out.append("loki.write \"logs\" {\n  endpoint {\n");
      out.append("    url = ").append(quote(logs.url())).append('\n');
      headers(out, logs, tenant, "    ");
      out.append("  }\n}\n\n");
    }
    if (metrics != null) {
      out.append("prometheus.remote_write \"metrics\" {\n  endpoint {\n");
      out.append("    url = ").append(quote(metrics.url())).append('\n');
      headers(out, metrics, tenant, "    ");
      out.append("  }\n}\n\n");
    }
    if (traces != null) {
      tracesExporter(out, traces, tenant);
    }
    return out.toString().stripTrailing() + "\n";
  }

  private static void podLogs(StringBuilder out) {
    out.append(
        """
        local.file_match "pods" {
          path_targets = [{"__path__" = "/var/log/pods/*/*/*.log"}]
        }

        loki.source.file "pods" {
          targets    = local.file_match.pods.targets
          forward_to = [loki.write.logs.receiver]
        }

        """);
  }

  private static void podMetrics(StringBuilder out) {
    out.append(
        """
        discovery.kubernetes "pods" {
          role = "pod"
        }

        discovery.relabel "scrape_annotated" {
          targets = discovery.kubernetes.pods.targets
          rule {
            source_labels = ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]
            regex         = "true"
            action        = "keep"
          }
        }

        prometheus.scrape "pods" {
          targets    = discovery.relabel.scrape_annotated.output
          forward_to = [prometheus.remote_write.metrics.receiver]
        }

        """);
  }

  private static void otlpReceiver(
      StringBuilder out, JsonNode otlp, Writer logs, Writer metrics, Writer traces) {
    out.append("otelcol.receiver.otlp \"default\" {\n");
    out.append("  grpc {\n    endpoint = \"0.0.0.0:")
        .append(otlp.path("grpcPort").asInt(4317))
        .append("\"\n  }\n");
    out.append("  http {\n    endpoint = \"0.0.0.0:")
        .append(otlp.path("httpPort").asInt(4318))
        .append("\"\n  }\n");
    out.append("  output {\n");
    if (metrics != null) {
      out.append("    metrics = [otelcol.processor.batch.default.input]\n");
    }
    if (logs != null) {
      out.append("    logs    = [otelcol.processor.batch.default.input]\n");
    }
    if (traces != null) {
      out.append("    traces  = [otelcol.processor.batch.default.input]\n");
    }
    out.append("  }\n}\n\n");
    out.append("otelcol.processor.batch \"default\" {\n  output {\n");
    if (metrics != null) {
      out.append("    metrics = [otelcol.exporter.prometheus.metrics.input]\n");
    }
    if (logs != null) {
      out.append("    logs    = [otelcol.exporter.loki.logs.input]\n");
    }
    if (traces != null) {
      out.append("    traces  = [").append(tracesInput(traces)).append("]\n");
    }
    out.append("  }\n}\n\n");
    if (metrics != null) {
      out.append("otelcol.exporter.prometheus \"metrics\" {\n")
          .append("  forward_to = [prometheus.remote_write.metrics.receiver]\n}\n\n");
    }
    if (logs != null) {
      out.append("otelcol.exporter.loki \"logs\" {\n")
          .append("  forward_to = [loki.write.logs.receiver]\n}\n\n");
    }
  }

  private static void faroReceiver(StringBuilder out, int port, Writer logs, Writer traces) {
    out.append("// Browser telemetry from the Grafana Faro Web SDK\n");
    out.append("faro.receiver \"default\" {\n  server {\n");
    out.append("    listen_address = \"0.0.0.0\"\n");
    out.append("    listen_port    = ").append(port).append("\n  }\n  output {\n");
    if (logs != null) {
      out.append("    logs   = [loki.write.logs.receiver]\n");
    }
    if (traces != null) {
      out.append("    traces = [").append(tracesInput(traces)).append("]\n");
    }
    out.append("  }\n}\n\n");
  }

  /**
   * OTLP over HTTP when the URL has a scheme, else gRPC to host:port, plain text in-cluster (seed
   * 004).
   */
  private static void tracesExporter(StringBuilder out, Writer traces, String tenant) {
    boolean http = traces.url().startsWith("http://") || traces.url().startsWith("https://");
    out.append("otelcol.exporter.")
        .append(http ? "otlphttp" : "otlp")
        .append(" \"traces\" {\n  client {\n");
    out.append("    endpoint = ").append(quote(traces.url())).append('\n');
    headers(out, traces, tenant, "    ");
    if (!http) {
      out.append("    tls {\n      insecure = true\n    }\n");
    }
    out.append("  }\n}\n");
  }

  private static String tracesInput(Writer traces) {
    boolean http = traces.url().startsWith("http://") || traces.url().startsWith("https://");
    return "otelcol.exporter." + (http ? "otlphttp" : "otlp") + ".traces.input";
  }

  private static void headers(StringBuilder out, Writer w, String tenant, String indent) {
    if (w.tenantHeader()) {
      out.append(indent)
          .append("headers = {\n")
          .append(indent)
          .append("  ")
          .append(quote(TENANT_HEADER))
          .append(" = ")
          .append(quote(tenant))
          .append(",\n")
          .append(indent)
          .append("}\n");
    }
  }

  private static Writer first(List<Writer> writers, String signal) {
    return writers.stream().filter(w -> signal.equals(w.signal())).findFirst().orElse(null);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
