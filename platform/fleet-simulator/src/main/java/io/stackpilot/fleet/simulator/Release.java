package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a simulated controller needs from a Flux HelmRelease or an Argo CD Application: which object
 * it is, the Helm release it stands for, where its workloads go, and the chart.
 */
record Release(
    Source source,
    String namespace,
    String name,
    String releaseName,
    String targetNamespace,
    String chart,
    String chartVersion,
    long generation) {

  /** The two custom resources the simulated controllers act on. */
  enum Source {
    HELM_RELEASE("HelmRelease", "/apis/helm.toolkit.fluxcd.io/v2", "helmreleases"),
    APPLICATION("Application", "/apis/argoproj.io/v1alpha1", "applications");

    final String kind;
    final String apiPrefix;
    final String plural;

    Source(String kind, String apiPrefix, String plural) {
      this.kind = kind;
      this.apiPrefix = apiPrefix;
      this.plural = plural;
    }

    String path(String namespace, String name) {
      return apiPrefix + "/namespaces/" + namespace + "/" + plural + "/" + name;
    }
  }

  /** The annotation that names the release object on every object the controller creates. */
  static final String OWNER_ANNOTATION = "stackpilot.io/simulated-release";

  /** The value of {@link #OWNER_ANNOTATION}: {@code HelmRelease/<namespace>/<name>}. */
  String owner() {
    return source.kind + "/" + namespace + "/" + name;
  }

  String path() {
    return source.path(namespace, name);
  }

  /**
   * Reads a HelmRelease the way Flux does: release name {@code spec.releaseName}, else {@code
   * <targetNamespace>-<name>} with a target namespace, else the object's name.
   */
  static Release fromHelmRelease(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    JsonNode spec = object.path("spec");
    String namespace = metadata.path("namespace").asText("default");
    String name = metadata.path("name").asText();
    String target = spec.path("targetNamespace").asText("");
    String releaseName =
        spec.path("releaseName").asText(target.isEmpty() ? name : target + "-" + name);
    JsonNode chartSpec = spec.path("chart").path("spec");
    return new Release(
        Source.HELM_RELEASE,
        namespace,
        name,
        releaseName.isEmpty() ? name : releaseName,
        target.isEmpty() ? namespace : target,
        chartSpec.path("chart").asText(name),
        chartSpec.path("version").asText("*"),
        metadata.path("generation").asLong(1));
  }

  /**
   * Reads an Argo CD Application with a Helm chart source ({@code spec.source}, or the first of
   * {@code spec.sources} that names a chart): release name {@code helm.releaseName}, else the
   * Application's name; workloads go to {@code spec.destination.namespace}.
   */
  static Release fromApplication(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    JsonNode spec = object.path("spec");
    JsonNode source = spec.path("source");
    for (JsonNode candidate : spec.path("sources")) {
      if (source.isMissingNode() && candidate.has("chart")) {
        source = candidate;
      }
    }
    String namespace = metadata.path("namespace").asText("default");
    String name = metadata.path("name").asText();
    String releaseName = source.path("helm").path("releaseName").asText(name);
    String destination = spec.path("destination").path("namespace").asText("");
    return new Release(
        Source.APPLICATION,
        namespace,
        name,
        releaseName.isEmpty() ? name : releaseName,
        destination.isEmpty() ? namespace : destination,
        source.path("chart").asText(name),
        source.path("targetRevision").asText("HEAD"),
        metadata.path("generation").asLong(1));
  }

  static Release from(Source source, JsonNode object) {
    return source == Source.HELM_RELEASE ? fromHelmRelease(object) : fromApplication(object);
  }
}
