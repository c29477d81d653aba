package io.stackpilot.applier;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one step to its cluster with server-side apply under a fixed field manager, and says what
 * happened as a StepApplied (with resourceVersions) or a StepFailed (with reason and retriable).
 */
class StepApplier {
  private static final Logger LOG = LoggerFactory.getLogger(StepApplier.class);

  private final FleetClients clusters;
  private final StepRenderer renderer = new StepRenderer();
  private final Envelopes envelopes;
  private final Clock clock;

  StepApplier(FleetClients clusters, Envelopes envelopes, Clock clock) {
    this.clusters = clusters;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  SpecificRecord apply(StepRequested step) {
    long start = clock.millis();
    String cluster = step.getEnvelope().getCluster();
    List<ResourceRef> applied = new ArrayList<>();
    try {
      KubernetesClient client = clusters.client(cluster);
      for (HasMetadata object : renderer.render(step)) {
        HasMetadata live =
            client
                .resource(object)
                .fieldManager(Ownership.FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
        applied.add(ref(live));
      }
    } catch (RuntimeException e) {
      ApiFailure failure = ApiFailure.of(e);
      LOG.warn("step {} failed: {} ({})", step.getStepId(), failure.reason().text(), e.toString());
      return StepFailed.newBuilder()
          .setEnvelope(envelopes.causedBy(step.getEnvelope()))
          .setStepId(step.getStepId())
          .setComponent(step.getComponent())
          .setDigest(step.getDigest())
          .setReason(failure.reason().text())
          .setMessage(String.valueOf(failure.message()))
          .setRetriable(failure.retriable())
          .setAttempt(1)
          .setResources(applied)
          .build();
    }
    LOG.info("step {} applied: {} objects", step.getStepId(), applied.size());
    return StepApplied.newBuilder()
        .setEnvelope(envelopes.causedBy(step.getEnvelope()))
        .setStepId(step.getStepId())
        .setComponent(step.getComponent())
        .setDigest(step.getDigest())
        .setResources(applied)
        .setDurationMillis(clock.millis() - start)
        .build();
  }

  static ResourceRef ref(HasMetadata object) {
    return ResourceRef.newBuilder()
        .setApiVersion(object.getApiVersion())
        .setKind(object.getKind())
        .setNamespace(object.getMetadata().getNamespace())
        .setName(object.getMetadata().getName())
        .setResourceVersion(object.getMetadata().getResourceVersion())
        .build();
  }
}
