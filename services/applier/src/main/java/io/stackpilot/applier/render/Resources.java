package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * Builds custom resources (Flux, Argo CD, prometheus-operator, Sloth) that fabric8 has no model
 * for.
 */
final class Resources {
  private Resources() {}

  static GenericKubernetesResource custom(
      String apiVersion, String kind, String name, String namespace, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(apiVersion);
    r.setKind(kind);
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /**
   * The name the chart's {@code fullname} helper gives a release: the release name when it contains
   * the chart name, else {@code <release>-<chart>}, at most 63 characters. Services of a chart
   * (e.g. the blackbox exporter a Probe points at) are named after it.
   */
  static String chartFullname(String release, String chart) {
    String full = release.contains(chart) ? release : release + "-" + chart;
    full = full.length() > 63 ? full.substring(0, 63) : full;
    return full.endsWith("-") ? full.substring(0, full.length() - 1) : full;
  }

  /**
   * A DNS-label-safe form of a display name: {@code Alertmanager (EU)} gives {@code
   * alertmanager-eu}.
   */
  static String slug(String name) {
    String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return s.replaceAll("^-+|-+$", "");
  }
}
