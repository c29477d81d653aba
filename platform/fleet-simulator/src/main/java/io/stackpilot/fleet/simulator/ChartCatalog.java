package io.stackpilot.fleet.simulator;

import java.util.List;
import java.util.Optional;

/**
 * The workloads each known chart creates, named as the real chart names them for a release: the one
 * table the simulated Helm/Argo controllers read.
 *
 * <p>Names follow Helm's usual {@code fullname} rule (the release name if it already contains the
 * chart's name, otherwise {@code <release>-<name>}), so release {@code mimir} of {@code
 * mimir-distributed} gives {@code mimir-ingester} and release {@code lgtm} gives {@code
 * lgtm-mimir-ingester}. Only the workloads a chart's default values (or the seeds' values) enable
 * are listed; optional components (Loki's gateway and canary, Mimir's zone-aware ingesters, ...)
 * are not.
 */
public final class ChartCatalog {

  /** The kinds of workload a chart can create. */
  public enum Kind {
    DEPLOYMENT("Deployment", "deployments"),
    STATEFUL_SET("StatefulSet", "statefulsets"),
    DAEMON_SET("DaemonSet", "daemonsets");

    private final String kind;
    private final String plural;

    Kind(String kind, String plural) {
      this.kind = kind;
      this.plural = plural;
    }

    /** The Kubernetes kind, e.g. {@code StatefulSet}. */
    public String kind() {
      return kind;
    }

    /** The resource name in API paths, e.g. {@code statefulsets}. */
    public String plural() {
      return plural;
    }
  }

  /**
   * One workload of a release: its kind and object name, the {@code app.kubernetes.io/name} and
   * {@code component} labels, replicas (ignored for DaemonSets), the Service port, and the
   * StatefulSet's volumeClaimTemplate name if it has one.
   */
  public record Workload(
      Kind kind,
      String name,
      String appName,
      String component,
      int replicas,
      int port,
      Optional<String> volumeClaimTemplate) {}

  private ChartCatalog() {}

  /** The workloads chart {@code chart} creates for release {@code release}. */
  public static List<Workload> workloads(String chart, String release) {
    return switch (chart) {
      case "mimir-distributed" -> mimir(fullname(release, "mimir"));
      case "loki" ->
          List.of(stateful(fullname(release, "loki"), "loki", "single-binary", 1, 3100, "storage"));
      case "tempo" ->
          List.of(stateful(fullname(release, "tempo"), "tempo", "", 1, 3200, "storage"));
      case "grafana" -> List.of(deployment(fullname(release, "grafana"), "grafana", "", 1, 80));
      case "alloy" -> List.of(daemon(fullname(release, "alloy"), "alloy", "", 12345));
      case "kube-prometheus-stack" -> kubePrometheusStack(release);
      default -> List.of(deployment(release, chart, "", 1, 80));
    };
  }

  /** Helm's fullname convention, truncated to 63 characters like the charts' helpers. */
  static String fullname(String release, String name) {
    String full = release.contains(name) ? release : release + "-" + name;
    full = full.length() > 63 ? full.substring(0, 63) : full;
    return full.endsWith("-") ? full.substring(0, full.length() - 1) : full;
  }

  private static List<Workload> mimir(String fullname) {
    return List.of(
        stateful(fullname + "-ingester", "mimir", "ingester", 3, 8080, "storage"),
        stateful(fullname + "-store-gateway", "mimir", "store-gateway", 1, 8080, "storage"),
        stateful(fullname + "-compactor", "mimir", "compactor", 1, 8080, "storage"),
        deployment(fullname + "-distributor", "mimir", "distributor", 1, 8080),
        deployment(fullname + "-querier", "mimir", "querier", 2, 8080),
        deployment(fullname + "-query-frontend", "mimir", "query-frontend", 1, 8080),
        deployment(fullname + "-gateway", "mimir", "gateway", 1, 80));
  }

  private static List<Workload> kubePrometheusStack(String release) {
    String kubePrometheus = fullname(release, "kube-prometheus");
    return List.of(
        deployment(
            kubePrometheus + "-operator",
            "kube-prometheus-stack-prometheus-operator",
            "prometheus-operator",
            1,
            443),
        deployment(fullname(release, "grafana"), "grafana", "", 1, 80),
        deployment(
            fullname(release, "kube-state-metrics"), "kube-state-metrics", "metrics", 1, 8080),
        daemon(
            fullname(release, "prometheus-node-exporter"),
            "prometheus-node-exporter",
            "metrics",
            9100),
        stateful(
            "prometheus-" + kubePrometheus + "-prometheus",
            "prometheus",
            "prometheus",
            1,
            9090,
            "prometheus-" + kubePrometheus + "-prometheus-db"),
        stateful(
            "alertmanager-" + kubePrometheus + "-alertmanager",
            "alertmanager",
            "alertmanager",
            1,
            9093,
            "alertmanager-" + kubePrometheus + "-alertmanager-db"));
  }

  private static Workload deployment(
      String name, String appName, String component, int replicas, int port) {
    return new Workload(
        Kind.DEPLOYMENT, name, appName, component, replicas, port, Optional.empty());
  }

  private static Workload stateful(
      String name, String appName, String component, int replicas, int port, String claim) {
    return new Workload(
        Kind.STATEFUL_SET, name, appName, component, replicas, port, Optional.of(claim));
  }

  private static Workload daemon(String name, String appName, String component, int port) {
    return new Workload(Kind.DAEMON_SET, name, appName, component, 0, port, Optional.empty());
  }
}
