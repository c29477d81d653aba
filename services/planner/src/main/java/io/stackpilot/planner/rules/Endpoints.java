package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.GrafanaSettings;
import io.stackpilot.planner.spec.StackSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who talks to Loki and Mimir in a view of the stack, and with which tenant header: collectors'
 * writes (Alloy configs in values, Alloy's typed writes, Prometheus remote_write) and Grafana's
 * datasources (raw provisioning values and typed ones). A URL is matched to the component it
 * reaches by its host: the component's name, or its name followed by a part such as {@code
 * -distributor} or {@code -gateway}.
 */
final class Endpoints {
  static final String TENANT_HEADER = "X-Scope-OrgID";

  private Endpoints() {}

  enum Role {
    WRITER,
    DATASOURCE
  }

  enum Backend {
    LOKI,
    MIMIR,
    OTHER
  }

  /**
   * The tenant header an endpoint sends: not at all, a literal value, or (typed {@code
   * tenantHeader: true}) the tenant of the cluster it runs on. {@code field} is where it is, or
   * where it belongs.
   */
  record Tenant(boolean sent, String value, String field) {
    static Tenant missing(String field) {
      return new Tenant(false, null, field);
    }

    static Tenant ofCluster(String field) {
      return new Tenant(true, null, field);
    }

    boolean literal() {
      return sent && value != null;
    }
  }

  /**
   * One endpoint: the component declaring it, what it is (e.g. {@code loki.write "loki"}), its URL
   * and where that is written, the backend it reaches and that backend's component if it is in the
   * stack, and its tenant header.
   */
  record Endpoint(
      StackView.ComponentView owner,
      Role role,
      String what,
      String url,
      String urlField,
      Backend backend,
      StackView.ComponentView target,
      Tenant tenant) {}

  static List<Endpoint> of(StackView view) {
    List<Endpoint> out = new ArrayList<>();
    for (StackView.ComponentView c : view.components()) {
      if (c.is(ComponentType.ALLOY)) {
        river(view, c, out);
        if (c.spec().alloy() != null) {
          writes(view, c, "alloy.writes", c.spec().alloy().writesOrEmpty(), out);
        }
      }
      if (c.is(ComponentType.KUBE_PROMETHEUS_STACK)) {
        remoteWrite(view, c, out);
        if (c.spec().prometheus() != null) {
          writes(
              view, c, "prometheus.remoteWrite", c.spec().prometheus().remoteWriteOrEmpty(), out);
        }
        rawDatasources(view, c, VPath.of("grafana", "additionalDataSources"), out);
      }
      if (c.is(ComponentType.GRAFANA)) {
        Values.map(c.get("datasources"))
            .keySet()
            .forEach(
                file -> rawDatasources(view, c, VPath.of("datasources", file, "datasources"), out));
      }
      if (c.spec().grafana() != null) {
        typedDatasources(view, c, c.spec().grafana(), out);
      }
    }
    return out;
  }

  /** Alloy configs written as text in values: each prometheus.remote_write and loki.write. */
  private static void river(StackView view, StackView.ComponentView c, List<Endpoint> out) {
    Values.walk(
        c.values(),
        VPath.ROOT,
        (path, node) -> {
          if (!(node instanceof String text) || !River.looksLike(text)) {
            return;
          }
          String field = c.field(path);
          for (River.Block block : River.blocks(text)) {
            boolean loki = block.kind().equals("loki.write");
            if (!loki && !block.kind().equals("prometheus.remote_write")) {
              continue;
            }
            String header = block.quotedEntry(TENANT_HEADER);
            if (header == null && loki && !block.attributes("tenant_id").isEmpty()) {
              header = block.attributes("tenant_id").get(0);
            }
            Tenant tenant =
                header == null ? Tenant.missing(field) : new Tenant(true, header, field);
            for (String url : block.attributes("url")) {
              StackView.ComponentView target = target(view, url);
              Backend backend = loki ? Backend.LOKI : backend(target, url);
              out.add(
                  new Endpoint(
                      c, Role.WRITER, block.describe(), url, field, backend, target, tenant));
            }
          }
        });
  }

  private static void writes(
      StackView view,
      StackView.ComponentView c,
      String at,
      List<StackSpec.Write> writes,
      List<Endpoint> out) {
    for (int i = 0; i < writes.size(); i++) {
      StackSpec.Write w = writes.get(i);
      String here = at + "[" + i + "]";
      StackView.ComponentView target = target(view, w.url());
      Backend backend =
          w.signal() == StackSpec.Signal.LOGS && target == null
              ? Backend.LOKI
              : backend(target, w.url());
      Tenant tenant =
          w.sendsTenant()
              ? Tenant.ofCluster(c.field(here + ".tenantHeader"))
              : Tenant.missing(c.field(here + ".tenantHeader"));
      out.add(
          new Endpoint(
              c, Role.WRITER, here, w.url(), c.field(here + ".url"), backend, target, tenant));
    }
  }

  /** kube-prometheus-stack's {@code prometheus.prometheusSpec.remoteWrite[]}. */
  private static void remoteWrite(StackView view, StackView.ComponentView c, List<Endpoint> out) {
    VPath at = VPath.of("prometheus", "prometheusSpec", "remoteWrite");
    List<?> list = Values.list(Values.get(c.values(), at));
    for (int i = 0; i < list.size(); i++) {
      VPath item = at.index(i);
      String url = Values.text(Values.get(list.get(i), "url"));
      if (url == null) {
        continue;
      }
      Map<String, Object> headers = Values.map(Values.get(list.get(i), "headers"));
      Tenant tenant = Tenant.missing(c.field(item.key("headers")));
      for (Map.Entry<String, Object> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(TENANT_HEADER)) {
          tenant =
              new Tenant(
                  true,
                  Objects.toString(Values.text(h.getValue()), ""),
                  c.field(item.key("headers").key(h.getKey())));
        }
      }
      StackView.ComponentView target = target(view, url);
      out.add(
          new Endpoint(
              c,
              Role.WRITER,
              "remoteWrite[" + i + "]",
              url,
              c.field(item.key("url")),
              backend(target, url),
              target,
              tenant));
    }
  }

  /** Grafana provisioning datasources, with custom headers as httpHeaderNameN/ValueN pairs. */
  private static void rawDatasources(
      StackView view, StackView.ComponentView c, VPath at, List<Endpoint> out) {
    List<?> list = Values.list(Values.get(c.values(), at));
    for (int i = 0; i < list.size(); i++) {
      Object ds = list.get(i);
      VPath item = at.index(i);
      String url = Values.text(Values.get(ds, "url"));
      String type = Values.text(Values.get(ds, "type"));
      if (url == null || type == null) {
        continue;
      }
      Tenant tenant = Tenant.missing(c.field(item.key("jsonData")));
      for (Map.Entry<String, Object> e : Values.map(Values.get(ds, "jsonData")).entrySet()) {
        if (e.getKey().startsWith("httpHeaderName")
            && TENANT_HEADER.equalsIgnoreCase(Values.text(e.getValue()))) {
          String n = e.getKey().substring("httpHeaderName".length());
          VPath valuePath = item.key("secureJsonData").key("httpHeaderValue" + n);
          tenant =
              new Tenant(
                  true,
                  Objects.toString(Values.text(Values.get(c.values(), valuePath)), ""),
                  c.field(valuePath));
        }
      }
      String name = Values.text(Values.get(ds, "name"));
      StackView.ComponentView target = target(view, url);
      out.add(
          new Endpoint(
              c,
              Role.DATASOURCE,
              "datasource '" + name + "'",
              url,
              c.field(item.key("url")),
              datasourceBackend(type, target, url),
              target,
              tenant));
    }
  }

  private static void typedDatasources(
      StackView view, StackView.ComponentView c, GrafanaSettings grafana, List<Endpoint> out) {
    List<GrafanaSettings.Datasource> list = grafana.datasourcesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      GrafanaSettings.Datasource ds = list.get(i);
      String here = "grafana.datasources[" + i + "]";
      StackView.ComponentView target = target(view, ds.url());
      Tenant tenant =
          ds.sendsTenant()
              ? Tenant.ofCluster(c.field(here + ".tenantHeader"))
              : Tenant.missing(c.field(here + ".tenantHeader"));
      out.add(
          new Endpoint(
              c,
              Role.DATASOURCE,
              "datasource '" + ds.name() + "'",
              ds.url(),
              c.field(here + ".url"),
              datasourceBackend(ds.type(), target, ds.url()),
              target,
              tenant));
    }
  }

  private static Backend datasourceBackend(
      String type, StackView.ComponentView target, String url) {
    if ("loki".equals(type)) {
      return Backend.LOKI;
    }
    Backend b = backend(target, url);
    return "prometheus".equals(type) && b == Backend.MIMIR ? Backend.MIMIR : Backend.OTHER;
  }

  private static Backend backend(StackView.ComponentView target, String url) {
    if (target != null) {
      return target.is(ComponentType.LOKI) ? Backend.LOKI : Backend.MIMIR;
    }
    String label = Urls.firstLabel(url);
    if (label.contains("mimir")) {
      return Backend.MIMIR;
    }
    return label.contains("loki") ? Backend.LOKI : Backend.OTHER;
  }

  /**
   * The Loki or Mimir component a URL reaches: by host name; failing that, the stack's only
   * component of the kind the host names.
   */
  static StackView.ComponentView target(StackView view, String url) {
    String label = Urls.firstLabel(url);
    if (label.isEmpty()) {
      return null;
    }
    Optional<StackView.ComponentView> byName =
        view.components().stream()
            .filter(c -> c.is(ComponentType.LOKI) || c.is(ComponentType.MIMIR))
            .filter(c -> c.spec().name() != null)
            .filter(c -> label.equals(c.spec().name()) || label.startsWith(c.spec().name() + "-"))
            .max(Comparator.comparingInt(c -> c.spec().name().length()));
    if (byName.isPresent()) {
      return byName.get();
    }
    for (ComponentType type : List.of(ComponentType.MIMIR, ComponentType.LOKI)) {
      List<StackView.ComponentView> ofType = view.ofType(type);
      if (label.contains(type.yamlName()) && ofType.size() == 1) {
        return ofType.get(0);
      }
    }
    return null;
  }
}
