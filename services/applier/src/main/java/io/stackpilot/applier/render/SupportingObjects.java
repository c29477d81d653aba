package io.stackpilot.applier.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.stackpilot.events.StepRequested;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the seeds write by hand beside each chart, from the step's type and typed settings:
 * the Namespace, Grafana datasources, blackbox Probes, Sloth SLOs and the Alloy configuration. Each
 * is rendered only when the typed settings declare what it needs.
 */
final class SupportingObjects {
  static final String POD_SECURITY_ENFORCE = "pod-security.kubernetes.io/enforce";
  static final String DATASOURCE_LABEL = "grafana_datasource";
  static final String ALLOY_CONFIG_KEY = "config.alloy";

  /** The blackbox exporter chart's default port. */
  static final int BLACKBOX_PORT = 9115;

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  private SupportingObjects() {}

  /**
   * The component's Namespace. Shared by every component in it, so it carries only the managed-by
   * label (no component label: no prune of one component deletes it). Node-exporter (in
   * kube-prometheus-stack) and an Alloy agent need host paths, host network and host PID, which
   * only the {@code privileged} Pod Security level admits.
   */
  static Namespace namespace(StepRequested step, ComponentSettings settings) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Ownership.MANAGED_BY, Ownership.MANAGER);
    if (needsHostAccess(step, settings)) {
      labels.put(POD_SECURITY_ENFORCE, "privileged");
    }
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(step.getNamespace())
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  static boolean needsHostAccess(StepRequested step, ComponentSettings settings) {
    String type = step.getComponentType();
    return "kube-prometheus-stack".equals(type)
        || ("alloy".equals(type)
            && "agent".equals(ComponentSettings.text(settings.section("alloy"), "mode")));
  }

  /**
   * Grafana's datasources for this cluster's tenant, as a provisioning file in a ConfigMap the
   * datasource sidecar loads ({@code grafana_datasource: "1"}). Each uid carries the tenant ({@code
   * mimir-perso}), so one Grafana can hold every tenant's set; a datasource with {@code
   * tenantHeader: true} sends {@code X-Scope-OrgID} as Grafana provisioning does (header name in
   * jsonData, value in secureJsonData). The tenant is not a secret; secureJsonData is where Grafana
   * reads header values from.
   */
  static List<HasMetadata> grafanaDatasources(StepRequested step, ComponentSettings settings) {
    List<JsonNode> declared =
        ComponentSettings.items(settings.section("grafana").path("datasources"));
    if (declared.isEmpty()) {
      return List.of();
    }
    String tenant = tenant(step);
    List<Map<String, Object>> datasources = new ArrayList<>();
    for (JsonNode d : declared) {
      String name = ComponentSettings.text(d, "name");
      Map<String, Object> ds = new LinkedHashMap<>();
      ds.put("name", name);
      ds.put("type", ComponentSettings.text(d, "type"));
      ds.put("uid", Resources.slug(name) + "-" + Resources.slug(tenant));
      ds.put("access", "proxy");
      ds.put("url", ComponentSettings.text(d, "url"));
      ds.put("isDefault", ComponentSettings.flag(d, "isDefault"));
      if (ComponentSettings.flag(d, "tenantHeader")) {
        ds.put("jsonData", Map.of("httpHeaderName1", AlloyConfig.TENANT_HEADER));
        ds.put("secureJsonData", Map.of("httpHeaderValue1", tenant));
      }
      ds.put("editable", false);
      datasources.add(ds);
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("apiVersion", 1);
    file.put("datasources", datasources);
    return List.of(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(step.getComponent() + "-datasources")
            .withNamespace(step.getNamespace())
            .addToLabels(DATASOURCE_LABEL, "1")
            .endMetadata()
            .addToData("datasources.yaml", yaml(file))
            .build());
  }

  /**
   * One prometheus-operator Probe per declared probe, scraped through this component's blackbox
   * exporter (its Service is the chart's fullname of the release, port 9115).
   */
  static List<HasMetadata> probes(StepRequested step, ComponentSettings settings) {
    List<HasMetadata> out = new ArrayList<>();
    String chart =
        step.getChart() == null ? "prometheus-blackbox-exporter" : step.getChart().getName();
    String prober =
        Resources.chartFullname(step.getComponent(), chart)
            + "."
            + step.getNamespace()
            + ".svc:"
            + BLACKBOX_PORT;
    for (JsonNode p : ComponentSettings.items(settings.section("probes"))) {
      String name = ComponentSettings.text(p, "name");
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("jobName", name);
      spec.put("module", ComponentSettings.text(p, "module"));
      spec.put("prober", Map.of("url", prober));
      spec.put(
          "targets",
          Map.of("staticConfig", Map.of("static", List.of(ComponentSettings.text(p, "url")))));
      out.add(
          Resources.custom(
              "monitoring.coreos.com/v1",
              "Probe",
              step.getComponent() + "-" + Resources.slug(name),
              step.getNamespace(),
              spec));
    }
    return out;
  }

  /**
   * Sloth PrometheusServiceLevels: one per service (Sloth's unit), its SLOs with their event
   * queries and the burn-rate alert name; Sloth generates the recording and alerting rules.
   */
  static List<HasMetadata> serviceLevels(StepRequested step, ComponentSettings settings) {
    Map<String, List<Map<String, Object>>> byService = new LinkedHashMap<>();
    for (JsonNode s : ComponentSettings.items(settings.section("slos"))) {
      String name = ComponentSettings.text(s, "name");
      Map<String, Object> slo = new LinkedHashMap<>();
      slo.put("name", name);
      slo.put("objective", s.path("objective").asDouble());
      Map<String, Object> events = new LinkedHashMap<>();
      events.put("errorQuery", ComponentSettings.text(s, "errorQuery"));
      events.put("totalQuery", ComponentSettings.text(s, "totalQuery"));
      slo.put("sli", Map.of("events", events));
      String alert = ComponentSettings.text(s, "alertName");
      slo.put("alerting", Map.of("name", alert == null ? name : alert));
      String service = ComponentSettings.text(s, "service");
      byService.computeIfAbsent(service == null ? name : service, k -> new ArrayList<>()).add(slo);
    }
    List<HasMetadata> out = new ArrayList<>();
    byService.forEach(
        (service, slos) -> {
          Map<String, Object> spec = new LinkedHashMap<>();
          spec.put("service", service);
          spec.put("slos", slos);
          out.add(
              Resources.custom(
                  "sloth.slok.dev/v1",
                  "PrometheusServiceLevel",
                  step.getComponent() + "-" + Resources.slug(service),
                  step.getNamespace(),
                  spec));
        });
    return out;
  }

  /**
   * The Alloy configuration generated from the alloy typed settings, in a ConfigMap the chart
   * mounts when the values do not bring their own ({@link #chartDefaults}).
   */
  static List<HasMetadata> alloyConfig(StepRequested step, ComponentSettings settings) {
    JsonNode alloy = settings.section("alloy");
    String config = alloy.isMissingNode() ? null : AlloyConfig.render(alloy, tenant(step));
    if (config == null) {
      return List.of();
    }
    return List.of(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(alloyConfigName(step))
            .withNamespace(step.getNamespace())
            .endMetadata()
            .addToData(ALLOY_CONFIG_KEY, config)
            .build());
  }

  static String alloyConfigName(StepRequested step) {
    return step.getComponent() + "-config";
  }

  /**
   * Chart values the supporting objects need, added only where the user's values say nothing:
   * Grafana's datasource sidecar (off by default in the grafana chart), and for Alloy the generated
   * configuration's ConfigMap and, for an agent, the pod log mount.
   */
  static Map<String, Object> chartDefaults(
      StepRequested step, ComponentSettings settings, Map<String, Object> values) {
    Map<String, Object> defaults = new LinkedHashMap<>();
    if ("grafana".equals(step.getComponentType())
        && !ComponentSettings.items(settings.section("grafana").path("datasources")).isEmpty()) {
      defaults.putAll(HelmValues.nested("sidecar", "datasources", "enabled", true));
    }
    if (!alloyConfig(step, settings).isEmpty() && !bringsOwnAlloyConfig(values)) {
      Map<String, Object> configMap = new LinkedHashMap<>();
      configMap.put("create", false);
      configMap.put("name", alloyConfigName(step));
      configMap.put("key", ALLOY_CONFIG_KEY);
      Map<String, Object> alloy = new LinkedHashMap<>();
      alloy.put("configMap", configMap);
      if ("agent".equals(ComponentSettings.text(settings.section("alloy"), "mode"))) {
        alloy.put("mounts", Map.of("varlog", true));
      }
      defaults.put("alloy", alloy);
    }
    return defaults;
  }

  private static boolean bringsOwnAlloyConfig(Map<String, Object> values) {
    return values.get("alloy") instanceof Map<?, ?> alloy
        && alloy.get("configMap") instanceof Map<?, ?> cm
        && !cm.isEmpty();
  }

  /** The cluster's tenant (its X-Scope-OrgID); the cluster name when the envelope has none. */
  static String tenant(StepRequested step) {
    String tenant = step.getEnvelope().getTenant();
    return tenant == null || tenant.isBlank() ? step.getEnvelope().getCluster() : tenant;
  }

  private static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always write as YAML", e);
    }
  }
}
