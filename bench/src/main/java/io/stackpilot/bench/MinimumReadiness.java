package io.stackpilot.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * The least a loop must check to call a Flux-installed component ready, as the baseline does: its
 * HelmRelease is Ready for its current generation, and each of the release's workloads (labelled
 * {@code app.kubernetes.io/instance=<release>}) has observed its generation and has all its
 * replicas ready. No reasons, no Pods, no claims, no digest: a yes or a no.
 */
final class MinimumReadiness {
  static final String INSTANCE = "app.kubernetes.io/instance";

  private MinimumReadiness() {}

  /** Ready True, for an observed generation at least the object's. */
  static boolean releaseReady(GenericKubernetesResource release) {
    if (!observed(release)) {
      return false;
    }
    if (release.get("status", "conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> map && "Ready".equals(map.get("type"))) {
          return "True".equals(map.get("status"));
        }
      }
    }
    return false;
  }

  /** Whether {@code workload} belongs to {@code releaseName} by Helm's instance label. */
  static boolean ofRelease(GenericKubernetesResource workload, String releaseName) {
    Map<String, String> labels = workload.getMetadata().getLabels();
    return labels != null && releaseName.equals(labels.get(INSTANCE));
  }

  /** Deployment and StatefulSet: ready replicas at least spec; DaemonSet: all scheduled ready. */
  static boolean workloadReady(GenericKubernetesResource workload) {
    if (!observed(workload)) {
      return false;
    }
    if ("DaemonSet".equals(workload.getKind())) {
      long desired = number(workload, -1, "status", "desiredNumberScheduled");
      return desired >= 0 && number(workload, 0, "status", "numberReady") >= desired;
    }
    return number(workload, 0, "status", "readyReplicas")
        >= number(workload, 1, "spec", "replicas");
  }

  private static boolean observed(GenericKubernetesResource o) {
    Long generation = o.getMetadata().getGeneration();
    return generation == null || number(o, -1, "status", "observedGeneration") >= generation;
  }

  private static long number(GenericKubernetesResource o, long absent, Object... path) {
    return o.get(path) instanceof Number n ? n.longValue() : absent;
  }
}
