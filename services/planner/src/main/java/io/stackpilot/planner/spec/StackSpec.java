package io.stackpilot.planner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: ObservabilityStack}: the components a fleet should run, with chart and values.
 * Values hold Secret references only, never secret values.
 *
 * <p>{@code values} are the chart's raw Helm values, passed through. The optional typed fields say
 * what Stackpilot itself must understand about a component (storage, object storage, credentials,
 * retention, exposure, tenancy, mode) so that rules can check it and later steps can verify it.
 * Type-specific sections ({@code loki}, {@code alloy}, ...) are a union in the Kubernetes manner:
 * each is allowed only on its component type ({@link StackChecks}).
 */
public record StackSpec(String apiVersion, String kind, Metadata metadata, Spec spec) {

  /** Object metadata; the name identifies the stack across revisions. */
  public record Metadata(String name) {}

  /**
   * The components of the stack, and the storage classes their volumes expect each cluster to
   * provide (declared so they can be checked; Stackpilot does not create them).
   */
  public record Spec(List<Component> components, List<StorageClass> storageClasses, String driver) {
    /** A stack with components only. */
    public Spec(List<Component> components) {
      this(components, null, null);
    }

    /** The stack's render driver (flux, argocd, manifests); flux when not declared. */
    public RenderDriver driverOrDefault() {
      return driver == null ? RenderDriver.FLUX : RenderDriver.of(driver).orElse(RenderDriver.FLUX);
    }

    public List<Component> componentsOrEmpty() {
      return components == null ? List.of() : components;
    }

    public List<StorageClass> storageClassesOrEmpty() {
      return storageClasses == null ? List.of() : storageClasses;
    }
  }

  /** One component: where it lives, which chart, what it depends on, its values. */
  public record Component(
      String name,
      ComponentType type,
      String namespace,
      Chart chart,
      List<String> dependsOn,
      Map<String, Object> values,
      Storage storage,
      ObjectStorage objectStorage,
      String retention,
      List<Route> routes,
      LokiSettings loki,
      AlloySettings alloy,
      GrafanaSettings grafana,
      PrometheusSettings prometheus,
      ThanosSettings thanos,
      List<Probe> probes,
      List<Slo> slos,
      NtfySettings ntfy,
      String driver) {

    /** A component with only the fields every component has; the typed fields left out. */
    public Component(
        String name,
        ComponentType type,
        String namespace,
        Chart chart,
        List<String> dependsOn,
        Map<String, Object> values) {
      this(
          name, type, namespace, chart, dependsOn, values, null, null, null, null, null, null, null,
          null, null, null, null, null, null);
    }

    /** This component's render driver: its own, else the stack's. */
    public RenderDriver driverOr(RenderDriver stackDriver) {
      return driver == null ? stackDriver : RenderDriver.of(driver).orElse(stackDriver);
    }

    public List<String> dependsOnOrEmpty() {
      return dependsOn == null ? List.of() : dependsOn;
    }

    public Map<String, Object> valuesOrEmpty() {
      return values == null ? Map.of() : values;
    }

    public List<Route> routesOrEmpty() {
      return routes == null ? List.of() : routes;
    }

    public List<Probe> probesOrEmpty() {
      return probes == null ? List.of() : probes;
    }

    public List<Slo> slosOrEmpty() {
      return slos == null ? List.of() : slos;
    }
  }

  /** A Helm chart in a repository (https or oci). */
  public record Chart(String repository, String name, String version) {
    /** The major version, or -1 when the version does not start with one (e.g. {@code *}). */
    public int major() {
      if (version == null) {
        return -1;
      }
      String v = version.startsWith("v") ? version.substring(1) : version;
      int end = 0;
      while (end < v.length() && Character.isDigit(v.charAt(end))) {
        end++;
      }
      return end == 0 ? -1 : Integer.parseInt(v.substring(0, end));
    }
  }

  /** A persistent volume: its storage class and size (a Kubernetes quantity such as 50Gi). */
  public record Storage(String storageClass, String size) {}

  /**
   * An S3-compatible bucket. {@code bucket} is the main one (chunks, blocks, traces); {@code
   * extraBuckets} names the others by role (Loki's {@code ruler}, {@code admin}). Credentials come
   * only from {@code secretRef}.
   */
  public record ObjectStorage(
      String endpoint,
      String bucket,
      Map<String, String> extraBuckets,
      String region,
      Boolean insecure,
      SecretRef secretRef) {}

  /**
   * A Secret reference, never a value: the Secret's name and, by purpose, the keys that hold each
   * credential (e.g. {@code accessKeyId: aws-access-key-id}, {@code objstore: objstore.yml}). No
   * keys: the whole Secret is used (e.g. as environment variables).
   */
  public record SecretRef(String name, Map<String, String> keys) {
    public Map<String, String> keysOrEmpty() {
      return keys == null ? Map.of() : keys;
    }
  }

  /**
   * A hostname the component is reached at: an Ingress (with its class) or a Gateway API HTTPRoute
   * (with its gateway). {@code target} names the part of a multi-part chart (prometheus,
   * alertmanager, grafana); {@code path}/{@code pathType} restrict it (e.g. a write-only {@code
   * Exact} path); {@code basicAuth} and {@code tls} are Secret references.
   */
  public record Route(
      RouteKind kind,
      String host,
      String target,
      String className,
      String gateway,
      String path,
      String pathType,
      SecretRef tls,
      SecretRef basicAuth) {}

  /** How a hostname is exposed. */
  public enum RouteKind {
    INGRESS("ingress"),
    HTTPROUTE("httproute");

    private final String yamlName;

    RouteKind(String yamlName) {
      this.yamlName = yamlName;
    }

    @JsonValue
    public String yamlName() {
      return yamlName;
    }

    @JsonCreator
    public static RouteKind of(String name) {
      return YamlNames.of(RouteKind.class, name, RouteKind::yamlName);
    }
  }

  /**
   * A storage class the stack's volumes expect, with the parameters that matter (Longhorn's {@code
   * dataEngine}, {@code numberOfReplicas}).
   */
  public record StorageClass(
      String name, String provisioner, String reclaimPolicy, Map<String, String> parameters) {
    public Map<String, String> parametersOrEmpty() {
      return parameters == null ? Map.of() : parameters;
    }
  }

  /**
   * Where a collector sends one signal. With {@code tenantHeader: true} it sends {@code
   * X-Scope-OrgID} set to the tenant of the cluster it runs on (the fleet's {@code
   * clusters[].tenant}).
   */
  public record Write(Signal signal, String url, Boolean tenantHeader) {
    public boolean sendsTenant() {
      return Boolean.TRUE.equals(tenantHeader);
    }
  }

  /** A telemetry signal. */
  public enum Signal {
    LOGS("logs"),
    METRICS("metrics"),
    TRACES("traces"),
    PROFILES("profiles");

    private final String yamlName;

    Signal(String yamlName) {
      this.yamlName = yamlName;
    }

    @JsonValue
    public String yamlName() {
      return yamlName;
    }

    @JsonCreator
    public static Signal of(String name) {
      return YamlNames.of(Signal.class, name, Signal::yamlName);
    }
  }

  /** A blackbox-exporter Probe: an uptime check of a URL with a blackbox module. */
  public record Probe(String name, String url, String module) {}

  /**
   * A Sloth SLO ({@code PrometheusServiceLevel}): objective in percent, the error and total event
   * queries, and the name of the burn-rate alert Sloth generates.
   */
  public record Slo(
      String name,
      String service,
      Double objective,
      String errorQuery,
      String totalQuery,
      String alertName) {}
}
