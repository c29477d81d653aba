package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.util.List;

/**
 * Custom resource kinds every simulated cluster knows from the start, as if their CRDs were
 * installed.
 */
public final class WellKnownCustomResources {

  /** Flux's HelmRelease, with the status subresource its CRD declares. */
  public static final CustomResourceDefinitionContext FLUX_HELM_RELEASE =
      namespaced("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", true);

  /** Argo CD's Application; its CRD declares no status subresource. */
  public static final CustomResourceDefinitionContext ARGO_CD_APPLICATION =
      namespaced("argoproj.io", "v1alpha1", "Application", "applications", false);

  private static final List<CustomResourceDefinitionContext> ALL =
      List.of(
          // Flux: what the stacks are installed with
          FLUX_HELM_RELEASE,
          namespaced("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories", true),
          namespaced("source.toolkit.fluxcd.io", "v1", "GitRepository", "gitrepositories", true),
          namespaced("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories", true),
          namespaced("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations", true),
          // Argo CD: the other way the seeds install stacks
          ARGO_CD_APPLICATION,
          // prometheus-operator: what the stacks are observed with
          namespaced("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", false),
          namespaced("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors", false),
          namespaced("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", false));

  private WellKnownCustomResources() {}

  /** The kinds registered in every simulated cluster unless the caller passes its own list. */
  public static List<CustomResourceDefinitionContext> all() {
    return ALL;
  }

  /** A namespaced custom resource kind, for {@link FleetSimulator#expectCustomResource}. */
  public static CustomResourceDefinitionContext namespaced(
      String group, String version, String kind, String plural, boolean statusSubresource) {
    return new CustomResourceDefinitionContext.Builder()
        .withName(plural + "." + group)
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withScope("Namespaced")
        .withStatusSubresource(statusSubresource)
        .build();
  }
}
