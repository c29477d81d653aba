package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceHealth;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges an applied (or pruned) step: its objects read back live (present with the applied digest,
 * or absent after a prune, {@link HealthAssessment}) and, after APPLY or ROLL_BACK, whether the
 * component works ({@link ComponentHealth} over the watches of {@link ClusterWatches}). {@link
 * HealthWatch} asks it again on every watch event until the step is settled; the gate keeper reuses
 * {@link #check} after a soak.
 */
class StepVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(StepVerifier.class);

  /** How long {@link #check} waits for a cluster's watches to sync. */
  static final Duration SYNC_WAIT = Duration.ofSeconds(10);

  private final FleetClients clusters;
  private final ClusterWatches watches;
  private final Envelopes envelopes;
  private final HealthAssessment assessment = new HealthAssessment();

  StepVerifier(FleetClients clusters, ClusterWatches watches, Envelopes envelopes) {
    this.clusters = clusters;
    this.watches = watches;
    this.envelopes = envelopes;
  }

  /**
   * The verdict on a step if it is settled: a prune at once; otherwise once the component is
   * healthy, or when {@code timedOut} (its deadline passed), whatever it is then. Empty while it is
   * still on its way, and, past the deadline, while a watch it needs has not synced, until {@code
   * syncGraceOver}: a verifier that started watching late gives its watches that long.
   */
  Optional<ComponentVerified> verdictIfSettled(
      StepApplied applied, boolean timedOut, boolean syncGraceOver) {
    String cluster = applied.getEnvelope().getCluster();
    HealthAssessment.Verdict verdict;
    if (applied.getAction() == StepAction.PRUNE) {
      verdict = assessment.assessPruned(observeAll(cluster, applied.getResources()));
    } else {
      Optional<ComponentHealth.Result> health;
      try {
        health = watchedHealth(cluster, applied.getResources());
      } catch (RuntimeException e) {
        // the cluster cannot be watched at all (no kubeconfig context): the reads below say why
        LOG.warn("{}: cannot watch {}: {}", applied.getStepId(), cluster, e.toString());
        health = Optional.empty();
        timedOut = true;
      }
      boolean healthy = health.isPresent() && health.get().health() == HealthStatus.HEALTHY;
      if (!healthy && (!timedOut || (health.isEmpty() && !syncGraceOver))) {
        return Optional.empty();
      }
      verdict =
          combine(
              assessment.assess(applied.getDigest(), observeAll(cluster, applied.getResources())),
              health,
              timedOut);
    }
    LOG.info(
        "{} on {} ({}): {} ({})",
        applied.getComponent(),
        cluster,
        applied.getAction(),
        verdict.health(),
        verdict.reason());
    return Optional.of(
        ComponentVerified.newBuilder()
            .setEnvelope(envelopes.causedBy(applied.getEnvelope()))
            .setStepId(applied.getStepId())
            .setComponent(applied.getComponent())
            .setDigest(applied.getDigest())
            .setHealth(verdict.health())
            .setReason(verdict.reason())
            .setResources(
                verdict.objects().stream()
                    .map(o -> new ResourceHealth(o.ref(), o.health(), o.message()))
                    .toList())
            .build());
  }

  /**
   * Reads the objects live and judges them now: after APPLY or ROLL_BACK they must be present with
   * {@code digest} and the component must be healthy; after PRUNE they must be absent.
   */
  HealthAssessment.Verdict check(
      String cluster, StepAction action, String digest, List<ResourceRef> resources) {
    List<HealthAssessment.Observed> observed = observeAll(cluster, resources);
    if (action == StepAction.PRUNE) {
      return assessment.assessPruned(observed);
    }
    Optional<ComponentHealth.Result> health;
    try {
      health = watchedHealth(cluster, resources);
      // the release's watch syncs first, then its target namespace's: two rounds at most
      for (int round = 0; round < 2 && health.isEmpty(); round++) {
        watches.awaitSynced(cluster, SYNC_WAIT);
        health = watchedHealth(cluster, resources);
      }
    } catch (RuntimeException e) {
      health = Optional.empty();
    }
    return combine(assessment.assess(digest, observed), health, true);
  }

  /**
   * The component's health from the watches, starting the ones it needs; empty while one of them
   * has not synced.
   */
  Optional<ComponentHealth.Result> watchedHealth(String cluster, List<ResourceRef> resources) {
    boolean synced = true;
    List<GenericKubernetesResource> releases = new ArrayList<>();
    List<GenericKubernetesResource> direct = new ArrayList<>();
    List<String> unseen = new ArrayList<>();
    for (ResourceRef ref : resources) {
      boolean release = ClusterWatches.RELEASE_KINDS.contains(ref.getKind());
      boolean workload = ComponentHealth.WORKLOAD_KINDS.contains(ref.getKind());
      if ((!release && !workload) || ref.getNamespace() == null) {
        continue;
      }
      if (!watches.ensure(cluster, ref.getKind(), ref.getNamespace())) {
        synced = false;
        continue;
      }
      GenericKubernetesResource live =
          watches.get(cluster, ref.getKind(), ref.getNamespace(), ref.getName());
      if (live == null) {
        unseen.add(ref.getKind() + " " + ref.getNamespace() + "/" + ref.getName());
      } else {
        (release ? releases : direct).add(live);
      }
    }
    List<ComponentHealth.Target> targets = new ArrayList<>();
    releases.forEach(r -> ComponentHealth.target(r).ifPresent(targets::add));
    Set<String> namespaces = new LinkedHashSet<>();
    targets.forEach(t -> namespaces.add(t.namespace()));
    direct.forEach(w -> namespaces.add(w.getMetadata().getNamespace()));
    for (String namespace : namespaces) {
      for (String kind : ClusterWatches.TARGET_KINDS) {
        synced &= watches.ensure(cluster, kind, namespace);
      }
    }
    if (!synced) {
      return Optional.empty();
    }
    List<GenericKubernetesResource> workloads = new ArrayList<>(direct);
    List<GenericKubernetesResource> pods = new ArrayList<>();
    List<GenericKubernetesResource> claims = new ArrayList<>();
    for (String namespace : namespaces) {
      for (String kind : ComponentHealth.WORKLOAD_KINDS) {
        for (GenericKubernetesResource w : watches.list(cluster, kind, namespace)) {
          if (!workloads.contains(w) && owned(w, targets)) {
            workloads.add(w);
          }
        }
      }
      for (GenericKubernetesResource pod : watches.list(cluster, "Pod", namespace)) {
        if (owned(pod, targets) || direct.stream().anyMatch(w -> selects(w, pod))) {
          pods.add(pod);
        }
      }
      for (GenericKubernetesResource claim :
          watches.list(cluster, "PersistentVolumeClaim", namespace)) {
        if (owned(claim, targets) || direct.stream().anyMatch(w -> selects(w, claim))) {
          claims.add(claim);
        }
      }
    }
    workloads.sort(BY_KIND_AND_NAME);
    pods.sort(BY_KIND_AND_NAME);
    claims.sort(BY_KIND_AND_NAME);
    ComponentHealth.Result result =
        ComponentHealth.judge(new ComponentHealth.Seen(releases, workloads, pods, claims));
    if (!unseen.isEmpty()) {
      // not in the watch (yet): the digest check says MISSING if it is still gone at the end
      result =
          new ComponentHealth.Result(
              HealthAssessment.worse(result.health(), HealthStatus.PROGRESSING),
              String.join(", ", unseen) + " not seen by the watch",
              result.objects());
    }
    return Optional.of(result);
  }

  private static final Comparator<GenericKubernetesResource> BY_KIND_AND_NAME =
      Comparator.comparing((GenericKubernetesResource o) -> o.getKind())
          .thenComparing(o -> o.getMetadata().getName());

  private static boolean owned(
      GenericKubernetesResource object, List<ComponentHealth.Target> targets) {
    return targets.stream().anyMatch(t -> t.owns(object));
  }

  private static boolean selects(GenericKubernetesResource workload, GenericKubernetesResource o) {
    return !ComponentHealth.selected(workload, List.of(o)).isEmpty();
  }

  /**
   * One verdict from the digest check and the component's health: the worse decides. Once {@code
   * final}, a component still progressing is DEGRADED (it did not become healthy in time), and one
   * whose watches never synced is UNKNOWN.
   */
  static HealthAssessment.Verdict combine(
      HealthAssessment.Verdict digest, Optional<ComponentHealth.Result> health, boolean last) {
    List<HealthAssessment.ObjectVerdict> objects = new ArrayList<>(digest.objects());
    if (health.isEmpty()) {
      if (digest.health() != HealthStatus.HEALTHY) {
        return digest;
      }
      return new HealthAssessment.Verdict(
          HealthStatus.UNKNOWN, digest.reason() + "; health unknown: watch not synced", objects);
    }
    ComponentHealth.Result h = health.get();
    objects.addAll(h.objects());
    HealthStatus healthStatus = h.health();
    if (last && healthStatus == HealthStatus.PROGRESSING) {
      healthStatus = HealthStatus.DEGRADED;
    }
    HealthStatus worst = HealthAssessment.worse(digest.health(), healthStatus);
    String reason;
    if (digest.health() != HealthStatus.HEALTHY) {
      reason = digest.reason() + (h.health() == HealthStatus.HEALTHY ? "" : "; " + h.reason());
    } else if (h.health() != HealthStatus.HEALTHY) {
      reason = h.reason();
    } else {
      reason = h.objects().isEmpty() ? digest.reason() : digest.reason() + "; " + h.reason();
    }
    return new HealthAssessment.Verdict(worst, reason, objects);
  }

  private List<HealthAssessment.Observed> observeAll(String cluster, List<ResourceRef> resources) {
    List<HealthAssessment.Observed> observed = new ArrayList<>();
    for (ResourceRef ref : resources) {
      observed.add(observe(cluster, ref));
    }
    return observed;
  }

  private HealthAssessment.Observed observe(String cluster, ResourceRef ref) {
    try {
      KubernetesClient client = clusters.client(cluster);
      var resources = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind());
      GenericKubernetesResource live =
          ref.getNamespace() == null
              ? resources.withName(ref.getName()).get()
              : resources.inNamespace(ref.getNamespace()).withName(ref.getName()).get();
      if (live == null) {
        return new HealthAssessment.Observed(ref, false, null, null, null);
      }
      return new HealthAssessment.Observed(
          ref,
          true,
          live.getMetadata().getAnnotations(),
          null,
          live.getMetadata().getDeletionTimestamp());
    } catch (RuntimeException e) {
      ApiFailure failure = ApiFailure.of(e);
      return new HealthAssessment.Observed(
          ref, false, null, failure.reason().text() + ": " + failure.message(), null);
    }
  }
}
