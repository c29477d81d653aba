package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.ResourceHealth;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepApplied;
import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the objects of an applied step back from its cluster and states the component's health. */
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
    List<HealthAssessment.Observed> observed = new ArrayList<>();
    for (ResourceRef ref : applied.getResources()) {
      observed.add(observe(cluster, ref));
    }
    HealthAssessment.Verdict verdict = assessment.assess(applied.getDigest(), observed);
    LOG.info(
        "{} on {}: {} ({})", applied.getComponent(), cluster, verdict.health(), verdict.reason());
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

  private HealthAssessment.Observed observe(String cluster, ResourceRef ref) {
    try {
      KubernetesClient client = clusters.client(cluster);
      var resources = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind());
      GenericKubernetesResource live =
          ref.getNamespace() == null
              ? resources.withName(ref.getName()).get()
              : resources.inNamespace(ref.getNamespace()).withName(ref.getName()).get();
      return new HealthAssessment.Observed(
          ref, live != null, live == null ? null : live.getMetadata().getAnnotations(), null);
    } catch (RuntimeException e) {
      ApiFailure failure = ApiFailure.of(e);
      return new HealthAssessment.Observed(
          ref, false, null, failure.reason().text() + ": " + failure.message());
    }
  }
}
