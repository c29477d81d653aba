package io.stackpilot.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads every object of some kinds from a simulated cluster, in every namespace. */
final class ClusterObjects {

  /** A kind as fabric8's generic client addresses it. */
  record Kind(String apiVersion, String kind, boolean namespaced) {}

  /** Every kind the applier renders ({@link StepRenderer#KINDS}), in its apply order. */
  static List<Kind> rendered() {
    return StepRenderer.KINDS.stream()
        .map(k -> new Kind(k.apiVersion(), k.kind(), k.namespaced()))
        .toList();
  }

  /**
   * What the renderer writes, plus what the simulated controllers create from it (workloads, pods,
   * services, claims, events) and the other custom kinds the simulated clusters know.
   */
  static List<Kind> everythingButSecrets() {
    Set<Kind> kinds = new LinkedHashSet<>(rendered());
    kinds.add(new Kind("apps/v1", "Deployment", true));
    kinds.add(new Kind("apps/v1", "StatefulSet", true));
    kinds.add(new Kind("apps/v1", "DaemonSet", true));
    kinds.add(new Kind("v1", "Pod", true));
    kinds.add(new Kind("v1", "Service", true));
    kinds.add(new Kind("v1", "PersistentVolumeClaim", true));
    kinds.add(new Kind("v1", "Event", true));
    kinds.add(new Kind("v1", "ServiceAccount", true));
    kinds.add(new Kind("source.toolkit.fluxcd.io/v1", "GitRepository", true));
    kinds.add(new Kind("kustomize.toolkit.fluxcd.io/v1", "Kustomization", true));
    kinds.add(new Kind("monitoring.coreos.com/v1", "ServiceMonitor", true));
    kinds.add(new Kind("monitoring.coreos.com/v1", "PodMonitor", true));
    kinds.add(new Kind("monitoring.coreos.com/v1", "PrometheusRule", true));
    return List.copyOf(kinds);
  }

  /**
   * Installs, in every simulated cluster, the CRDs of the kinds the renderer writes beyond the
   * simulator's well-known ones: prometheus-operator's Probe and Sloth's PrometheusServiceLevel.
   */
  static void installRenderedCrds(FleetSimulator fleet) {
    fleet.expectCustomResource(
        WellKnownCustomResources.namespaced(
            "monitoring.coreos.com", "v1", "Probe", "probes", false));
    fleet.expectCustomResource(
        WellKnownCustomResources.namespaced(
            "sloth.slok.dev", "v1", "PrometheusServiceLevel", "prometheusservicelevels", false));
  }

  /** Every object of {@code kind} in the cluster, in any namespace. */
  static List<GenericKubernetesResource> list(KubernetesClient client, Kind kind) {
    var resources = client.genericKubernetesResources(kind.apiVersion(), kind.kind());
    return new ArrayList<>(
        kind.namespaced()
            ? resources.inAnyNamespace().list().getItems()
            : resources.list().getItems());
  }

  private ClusterObjects() {}
}
