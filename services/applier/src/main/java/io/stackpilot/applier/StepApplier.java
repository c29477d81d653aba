package io.stackpilot.applier;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
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
 * Carries out one step on its cluster: APPLY and ROLL_BACK server-side-apply the rendered objects
 * under a fixed field manager, PRUNE deletes the component's objects. Says what happened as a
 * StepApplied (with the step's action and resourceVersions) or a StepFailed (with reason and
 * retriable).
 */
class StepApplier {
  private static final Logger LOG = LoggerFactory.getLogger(StepApplier.class);

  private final FleetClients clusters;
  private final StepRenderer renderer = new StepRenderer();
  private final ComponentPruner pruner = new ComponentPruner();
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
    StepAction action = actionOf(step);
    List<ResourceRef> done = new ArrayList<>();
    try {
      KubernetesClient client = clusters.client(cluster);
      switch (action) {
        case PRUNE -> pruner.prune(client, step.getNamespace(), step.getComponent(), done);
        case APPLY, ROLL_BACK -> serverSideApply(client, step, done);
      }
    } catch (RuntimeException e) {
      ApiFailure failure = ApiFailure.of(e);
      LOG.warn(
          "step {} ({}) failed: {} ({})",
          step.getStepId(),
          action,
          failure.reason().text(),
          e.toString());
      return StepFailed.newBuilder()
          .setEnvelope(envelopes.causedBy(step.getEnvelope()))
          .setStepId(step.getStepId())
          .setComponent(step.getComponent())
          .setDigest(step.getDigest())
          .setReason(failure.reason().text())
          .setMessage(String.valueOf(failure.message()))
          .setRetriable(failure.retriable())
          .setAttempt(1)
          .setResources(done)
          .build();
    }
    LOG.info("step {} done ({}): {} objects", step.getStepId(), action, done.size());
    return StepApplied.newBuilder()
        .setEnvelope(envelopes.causedBy(step.getEnvelope()))
        .setStepId(step.getStepId())
        .setComponent(step.getComponent())
        .setDigest(step.getDigest())
        .setResources(done)
        .setDurationMillis(clock.millis() - start)
        .setAction(action)
        .build();
  }

  /**
   * APPLY and ROLL_BACK are the same operation: a roll-back step carries the earlier revision's
   * chart, values and digest, so applying it restores that revision.
   *
   * <p>An object that already holds everything this step would write (its labels, annotations,
   * which carry the step id and digest, and content) is not written again: that is a step handled a
   * second time, after a crash or a rebalance between the apply and the commit of its transaction.
   * The shared Namespace, which carries no step id, is covered the same way. Reading first costs
   * one GET per object; it is what makes "applied once per step" hold for the cluster as well as
   * for the topic.
   */
  private void serverSideApply(
      KubernetesClient client, StepRequested step, List<ResourceRef> applied) {
    for (HasMetadata object : renderer.render(step)) {
      HasMetadata live = client.resource(object).get();
      if (live == null || !holds(client, live, object)) {
        live =
            client
                .resource(object)
                .fieldManager(Ownership.FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
      } else {
        LOG.info(
            "step {}: {}/{} already applied by this step, not written again",
            step.getStepId(),
            object.getKind(),
            object.getMetadata().getName());
      }
      applied.add(ref(live));
    }
  }

  /** Whether the live object already holds every field the rendered one sets. */
  private static boolean holds(KubernetesClient client, HasMetadata live, HasMetadata desired) {
    var json = client.getKubernetesSerialization();
    return contains(
        json.convertValue(live, JsonNode.class), json.convertValue(desired, JsonNode.class));
  }

  /** Objects: every key of {@code part} in {@code whole}, recursively; anything else: equal. */
  static boolean contains(JsonNode whole, JsonNode part) {
    if (part == null || part.isNull()) {
      return true;
    }
    if (whole == null) {
      return false;
    }
    if (part.isObject()) {
      if (!whole.isObject()) {
        return false;
      }
      var fields = part.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        if (!contains(whole.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    return whole.equals(part);
  }

  private static StepAction actionOf(StepRequested step) {
    // the schema defaults it to APPLY; only a hand-built record can leave it null
    return step.getAction() == null ? StepAction.APPLY : step.getAction();
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
