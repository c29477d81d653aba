package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a component works, from its release object(s) and the workloads, Pods and claims its
 * chart created, each judged by {@link KindStatus}: a pure function. The worst object decides; the
 * reason names each unhealthy workload with what holds it back ({@code StatefulSet mimir-ingester:
 * 0/3 ready, pod mimir-ingester-0 CrashLoopBackOff (restarts 5)}).
 */
final class ComponentHealth {

  /** The label Helm charts put on every object of a release. */
  static final String INSTANCE = "app.kubernetes.io/instance";

  /** The labels Flux's helm-controller adds to every object of a HelmRelease. */
  static final String FLUX_NAME = "helm.toolkit.fluxcd.io/name";

  static final String FLUX_NAMESPACE = "helm.toolkit.fluxcd.io/namespace";

  /** Where a release's objects are: its target namespace and Helm release name. */
  record Target(String namespace, String releaseName, String ownerName, String ownerNamespace) {

    /** Whether {@code object} belongs to this release by the labels Helm and Flux set. */
    boolean owns(GenericKubernetesResource object) {
      Map<String, String> labels = object.getMetadata().getLabels();
      if (labels == null || !namespace.equals(object.getMetadata().getNamespace())) {
        return false;
      }
      return releaseName.equals(labels.get(INSTANCE))
          || (ownerName.equals(labels.get(FLUX_NAME))
              && ownerNamespace.equals(labels.get(FLUX_NAMESPACE)));
    }
  }

  /** What was seen of a component: release objects, then everything found in their namespaces. */
  record Seen(
      List<GenericKubernetesResource> releases,
      List<GenericKubernetesResource> workloads,
      List<GenericKubernetesResource> pods,
      List<GenericKubernetesResource> claims) {}

  /** The component's health, why, and the verdict on every object judged. */
  record Result(HealthStatus health, String reason, List<HealthAssessment.ObjectVerdict> objects) {}

  static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet");

  private ComponentHealth() {}

  /**
   * Where a HelmRelease or Application puts its objects, read as Flux and Argo CD read them; empty
   * for other kinds.
   */
  static Optional<Target> target(GenericKubernetesResource release) {
    String namespace = release.getMetadata().getNamespace();
    String name = release.getMetadata().getName();
    if ("HelmRelease".equals(release.getKind())) {
      String targetNamespace = text(release.get("spec", "targetNamespace"));
      String releaseName = text(release.get("spec", "releaseName"));
      if (releaseName == null) {
        releaseName = targetNamespace == null ? name : targetNamespace + "-" + name;
      }
      return Optional.of(
          new Target(
              targetNamespace == null ? namespace : targetNamespace, releaseName, name, namespace));
    }
    if ("Application".equals(release.getKind())) {
      Object helmName = release.get("spec", "source", "helm", "releaseName");
      if (helmName == null && release.get("spec", "sources") instanceof List<?> sources) {
        for (Object source : sources) {
          if (source instanceof Map<?, ?> s && s.get("chart") != null && helmName == null) {
            helmName = GenericKubernetesResource.get(castMap(s), "helm", "releaseName");
          }
        }
      }
      String destination = text(release.get("spec", "destination", "namespace"));
      String releaseName = text(helmName);
      return Optional.of(
          new Target(
              destination == null ? namespace : destination,
              releaseName == null ? name : releaseName,
              name,
              namespace));
    }
    return Optional.empty();
  }

  static Result judge(Seen seen) {
    List<HealthAssessment.ObjectVerdict> objects = new ArrayList<>();
    List<String> workloadReasons = new ArrayList<>();
    List<String> releaseReasons = new ArrayList<>();
    List<GenericKubernetesResource> podsLeft = new ArrayList<>(seen.pods());
    for (GenericKubernetesResource release : seen.releases()) {
      KindStatus.Status status = KindStatus.of(release);
      objects.add(verdict(release, status.health(), status.message()));
      if (status.health() != HealthStatus.HEALTHY) {
        releaseReasons.add(describe(release) + ": " + status.message());
      }
    }
    for (GenericKubernetesResource workload : seen.workloads()) {
      List<GenericKubernetesResource> pods = selected(workload, seen.pods());
      podsLeft.removeAll(pods);
      String why = judgeWorkload(workload, pods, selected(workload, seen.claims()), objects);
      if (why != null) {
        workloadReasons.add(describe(workload) + ": " + why);
      }
    }
    for (GenericKubernetesResource pod : podsLeft) {
      KindStatus.Status podStatus = KindStatus.of(pod);
      objects.add(verdict(pod, podStatus.health(), podStatus.message()));
      if (podStatus.health() != HealthStatus.HEALTHY) {
        workloadReasons.add("pod " + pod.getMetadata().getName() + " " + podStatus.message());
      }
    }
    HealthStatus worst = HealthStatus.HEALTHY;
    for (HealthAssessment.ObjectVerdict v : objects) {
      worst = HealthAssessment.worse(worst, v.health());
    }
    String reason;
    if (worst == HealthStatus.HEALTHY) {
      reason =
          seen.releases().size()
              + (seen.releases().size() == 1 ? " release" : " releases")
              + " ready, "
              + seen.workloads().size()
              + " workloads ready";
    } else {
      // the workloads say what is wrong; the release's own condition only when they say nothing
      reason = String.join("; ", workloadReasons.isEmpty() ? releaseReasons : workloadReasons);
    }
    return new Result(worst, reason, objects);
  }

  /**
   * Adds the verdicts on a workload, its Pods and its claims to {@code objects}; the workload takes
   * the worst of them. Returns why it is not healthy (its own status, then the worst Pod, then the
   * first claim not bound), or null when it is.
   */
  private static String judgeWorkload(
      GenericKubernetesResource workload,
      List<GenericKubernetesResource> pods,
      List<GenericKubernetesResource> claims,
      List<HealthAssessment.ObjectVerdict> objects) {
    KindStatus.Status status = KindStatus.of(workload);
    HealthStatus health = status.health();
    List<String> why = new ArrayList<>();
    why.add(status.message());
    String podReason = null;
    HealthStatus podReasonHealth = HealthStatus.HEALTHY;
    for (GenericKubernetesResource pod : pods) {
      KindStatus.Status podStatus = KindStatus.of(pod);
      objects.add(verdict(pod, podStatus.health(), podStatus.message()));
      health = HealthAssessment.worse(health, podStatus.health());
      // the worst pod speaks for the workload; the first one of that health
      if (HealthAssessment.worse(podReasonHealth, podStatus.health()) != podReasonHealth) {
        podReasonHealth = podStatus.health();
        podReason = "pod " + pod.getMetadata().getName() + " " + podStatus.message();
      }
    }
    if (podReason != null) {
      why.add(podReason);
    }
    boolean claimNamed = false;
    for (GenericKubernetesResource claim : claims) {
      KindStatus.Status claimStatus = KindStatus.of(claim);
      objects.add(verdict(claim, claimStatus.health(), claimStatus.message()));
      health = HealthAssessment.worse(health, claimStatus.health());
      if (claimStatus.health() != HealthStatus.HEALTHY && !claimNamed) {
        // one claim says it; the others are listed in the objects
        why.add("claim " + claim.getMetadata().getName() + " " + claimStatus.message());
        claimNamed = true;
      }
    }
    objects.add(verdict(workload, health, String.join(", ", why)));
    return health == HealthStatus.HEALTHY ? null : String.join(", ", why);
  }

  /** The objects among {@code candidates} that the workload's selector (matchLabels) selects. */
  static List<GenericKubernetesResource> selected(
      GenericKubernetesResource workload, List<GenericKubernetesResource> candidates) {
    if (!(workload.get("spec", "selector", "matchLabels") instanceof Map<?, ?> selector)
        || selector.isEmpty()) {
      return List.of();
    }
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (GenericKubernetesResource candidate : candidates) {
      Map<String, String> labels = candidate.getMetadata().getLabels();
      if (labels != null
          && workload.getMetadata().getNamespace().equals(candidate.getMetadata().getNamespace())
          && labels.entrySet().containsAll(castStrings(selector).entrySet())) {
        out.add(candidate);
      }
    }
    return out;
  }

  static String describe(GenericKubernetesResource object) {
    return object.getKind() + " " + object.getMetadata().getName();
  }

  static ResourceRef ref(GenericKubernetesResource object) {
    return ResourceRef.newBuilder()
        .setApiVersion(object.getApiVersion())
        .setKind(object.getKind())
        .setNamespace(object.getMetadata().getNamespace())
        .setName(object.getMetadata().getName())
        .build();
  }

  private static HealthAssessment.ObjectVerdict verdict(
      GenericKubernetesResource object, HealthStatus health, String message) {
    return new HealthAssessment.ObjectVerdict(ref(object), health, message);
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castStrings(Map<?, ?> map) {
    return (Map<String, String>) map;
  }
}
