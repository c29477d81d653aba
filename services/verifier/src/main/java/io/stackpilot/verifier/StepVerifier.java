package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.ResourceHealth;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the objects of an applied (or pruned) step back from its cluster and states the component's
 * health; the gate keeper reuses {@link #check} to re-read a wave's objects after its soak.
 */
class StepVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(StepVerifier.class);

  private final FleetClients clusters;
  private final Envelopes envelopes;
  private final HealthAssessment assessment = new HealthAssessment();

  StepVerifier(FleetClients clusters, Envelopes envelopes) {
    this.clusters = clusters;
    this.envelopes = envelopes;
  }

  ComponentVerified verify(StepApplied applied) {
    String cluster = applied.getEnvelope().getCluster();
    HealthAssessment.Verdict verdict =
        check(cluster, applied.getAction(), applied.getDigest(), applied.getResources());
    LOG.info(
        "{} on {} ({}): {} ({})",
        applied.getComponent(),
        cluster,
        applied.getAction(),
        verdict.health(),
        verdict.reason());
    return ComponentVerified.newBuilder()
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
        .build();
  }

  /**
   * Reads the objects live and judges them: after APPLY or ROLL_BACK they must be present with
   * {@code digest}, after PRUNE they must be absent.
   */
  HealthAssessment.Verdict check(
      String cluster, StepAction action, String digest, List<ResourceRef> resources) {
    List<HealthAssessment.Observed> observed = new ArrayList<>();
    for (ResourceRef ref : resources) {
      observed.add(observe(cluster, ref));
    }
    return action == StepAction.PRUNE
        ? assessment.assessPruned(observed)
        : assessment.assess(digest, observed);
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
