package io.stackpilot.planner.spec;

import io.stackpilot.planner.spec.SpecException.Violation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of the stack's typed fields, checked when the stack is parsed: each type-specific
 * section sits on its own component type, Secret references name a Secret, sizes and durations
 * parse, and references between components resolve. Semantic pitfalls are the rules' business.
 */
final class StackChecks {
  private static final Pattern QUANTITY =
      Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

  private final List<Violation> out = new ArrayList<>();

  private StackChecks() {}

  static List<Violation> check(StackSpec stack) {
    StackChecks checks = new StackChecks();
    if (stack.spec() != null) {
      checks.driver("stack.spec.driver", stack.spec().driver());
      checks.components(stack.spec().componentsOrEmpty());
      checks.storageClasses(stack.spec().storageClassesOrEmpty());
    }
    return checks.out;
  }

  private void driver(String at, String driver) {
    if (driver != null && RenderDriver.of(driver).isEmpty()) {
      out.add(new Violation(at, "must be one of " + RenderDriver.names()));
    }
  }

  private void components(List<StackSpec.Component> components) {
    for (int i = 0; i < components.size(); i++) {
      StackSpec.Component c = components.get(i);
      String at = "stack.spec.components[" + i + "]";
      driver(at + ".driver", c.driver());
      sections(at, c);
      storage(at + ".storage", c.storage());
      duration(at + ".retention", c.retention());
      if (c.objectStorage() != null) {
        secretRef(at + ".objectStorage.secretRef", c.objectStorage().secretRef());
      }
      List<StackSpec.Route> routes = c.routesOrEmpty();
      for (int r = 0; r < routes.size(); r++) {
        route(at + ".routes[" + r + "]", routes.get(r));
      }
      if (c.alloy() != null) {
        alloy(at + ".alloy", c.alloy());
      }
      if (c.grafana() != null) {
        grafana(at + ".grafana", c.grafana());
      }
      if (c.prometheus() != null) {
        writes(at + ".prometheus.remoteWrite", c.prometheus().remoteWriteOrEmpty(), false);
      }
      if (c.thanos() != null) {
        thanos(at + ".thanos", c.thanos(), components);
      }
      probes(at + ".probes", c.probesOrEmpty());
      slos(at + ".slos", c.slosOrEmpty());
    }
  }

  private void sections(String at, StackSpec.Component c) {
    if (c.type() == null) {
      return; // the validator names the missing type
    }
    only(at, "loki", c.loki(), c.type(), EnumSet.of(ComponentType.LOKI));
    only(at, "alloy", c.alloy(), c.type(), EnumSet.of(ComponentType.ALLOY));
    only(
        at,
        "grafana",
        c.grafana(),
        c.type(),
        EnumSet.of(ComponentType.GRAFANA, ComponentType.KUBE_PROMETHEUS_STACK));
    only(
        at,
        "prometheus",
        c.prometheus(),
        c.type(),
        EnumSet.of(ComponentType.KUBE_PROMETHEUS_STACK));
    only(at, "thanos", c.thanos(), c.type(), EnumSet.of(ComponentType.THANOS));
    only(at, "probes", c.probes(), c.type(), EnumSet.of(ComponentType.BLACKBOX_EXPORTER));
    only(at, "slos", c.slos(), c.type(), EnumSet.of(ComponentType.SLOTH));
    only(at, "ntfy", c.ntfy(), c.type(), EnumSet.of(ComponentType.NTFY));
  }

  private void only(
      String at, String section, Object value, ComponentType type, Set<ComponentType> allowed) {
    if (value != null && !allowed.contains(type)) {
      out.add(
          new Violation(
              at + "." + section,
              "'"
                  + section
                  + "' is for components of type "
                  + String.join(
                      " or ", allowed.stream().map(ComponentType::yamlName).sorted().toList())
                  + ", not "
                  + type.yamlName()));
    }
  }

  private void alloy(String at, AlloySettings alloy) {
    if (alloy.otlp() != null) {
      port(at + ".otlp.grpcPort", alloy.otlp().grpcPort());
      port(at + ".otlp.httpPort", alloy.otlp().httpPort());
    }
    if (alloy.faro() != null) {
      port(at + ".faro.port", alloy.faro().port());
    }
    writes(at + ".writes", alloy.writesOrEmpty(), true);
  }

  private void writes(String at, List<StackSpec.Write> writes, boolean signalRequired) {
    for (int w = 0; w < writes.size(); w++) {
      StackSpec.Write write = writes.get(w);
      if (signalRequired && write.signal() == null) {
        out.add(new Violation(at + "[" + w + "].signal", "required (logs, metrics, traces)"));
      }
      required(at + "[" + w + "].url", write.url());
    }
  }

  private void grafana(String at, GrafanaSettings grafana) {
    secretRef(at + ".adminSecretRef", grafana.adminSecretRef());
    if (grafana.oauth() != null) {
      required(at + ".oauth.provider", grafana.oauth().provider());
      if (grafana.oauth().secretRef() == null) {
        out.add(new Violation(at + ".oauth.secretRef", "required: client id and secret"));
      }
      secretRef(at + ".oauth.secretRef", grafana.oauth().secretRef());
    }
    List<GrafanaSettings.Datasource> ds = grafana.datasourcesOrEmpty();
    for (int d = 0; d < ds.size(); d++) {
      required(at + ".datasources[" + d + "].name", ds.get(d).name());
      required(at + ".datasources[" + d + "].type", ds.get(d).type());
      required(at + ".datasources[" + d + "].url", ds.get(d).url());
    }
  }

  private void thanos(String at, ThanosSettings thanos, List<StackSpec.Component> components) {
    if (thanos.sidecar() != null) {
      String prometheus = thanos.sidecar().prometheus();
      boolean found =
          components.stream()
              .anyMatch(
                  c ->
                      c.type() == ComponentType.KUBE_PROMETHEUS_STACK
                          && c.name() != null
                          && c.name().equals(prometheus));
      if (!found) {
        out.add(
            new Violation(
                at + ".sidecar.prometheus",
                "no kube-prometheus-stack component named '" + prometheus + "'"));
      }
    }
    if (thanos.storeGateway() != null) {
      storage(at + ".storeGateway.storage", thanos.storeGateway().storage());
    }
    if (thanos.compactor() != null) {
      storage(at + ".compactor.storage", thanos.compactor().storage());
      ThanosSettings.Retention r = thanos.compactor().retention();
      if (r != null) {
        duration(at + ".compactor.retention.raw", r.raw());
        duration(at + ".compactor.retention.fiveMinutes", r.fiveMinutes());
        duration(at + ".compactor.retention.oneHour", r.oneHour());
      }
    }
  }

  private void probes(String at, List<StackSpec.Probe> probes) {
    for (int p = 0; p < probes.size(); p++) {
      required(at + "[" + p + "].name", probes.get(p).name());
      required(at + "[" + p + "].url", probes.get(p).url());
    }
  }

  private void slos(String at, List<StackSpec.Slo> slos) {
    for (int s = 0; s < slos.size(); s++) {
      StackSpec.Slo slo = slos.get(s);
      String here = at + "[" + s + "]";
      required(here + ".name", slo.name());
      required(here + ".service", slo.service());
      required(here + ".errorQuery", slo.errorQuery());
      required(here + ".totalQuery", slo.totalQuery());
      if (slo.objective() == null || slo.objective() <= 0 || slo.objective() >= 100) {
        out.add(new Violation(here + ".objective", "required, a percentage between 0 and 100"));
      }
    }
  }

  private void storageClasses(List<StackSpec.StorageClass> classes) {
    for (int i = 0; i < classes.size(); i++) {
      required("stack.spec.storageClasses[" + i + "].name", classes.get(i).name());
      required("stack.spec.storageClasses[" + i + "].provisioner", classes.get(i).provisioner());
    }
  }

  private void route(String at, StackSpec.Route route) {
    if (route.kind() == null) {
      out.add(new Violation(at + ".kind", "required (ingress or httproute)"));
    }
    required(at + ".host", route.host());
    secretRef(at + ".tls", route.tls());
    secretRef(at + ".basicAuth", route.basicAuth());
  }

  private void secretRef(String at, StackSpec.SecretRef ref) {
    if (ref == null) {
      return;
    }
    required(at + ".name", ref.name());
    for (Map.Entry<String, String> key : ref.keysOrEmpty().entrySet()) {
      required(at + ".keys." + key.getKey(), key.getValue());
    }
  }

  private void storage(String at, StackSpec.Storage storage) {
    if (storage != null && storage.size() != null && !QUANTITY.matcher(storage.size()).matches()) {
      out.add(new Violation(at + ".size", "not a quantity such as 10Gi: '" + storage.size() + "'"));
    }
  }

  private void duration(String at, String value) {
    if (value != null && !DURATION.matcher(value).matches()) {
      out.add(new Violation(at, "not a duration such as 168h or 30d: '" + value + "'"));
    }
  }

  private void port(String at, Integer port) {
    if (port != null && (port < 1 || port > 65535)) {
      out.add(new Violation(at, "not a port: " + port));
    }
  }

  private void required(String at, String value) {
    if (value == null || value.isBlank()) {
      out.add(new Violation(at, "required"));
    }
  }
}
