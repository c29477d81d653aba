package io.stackpilot.verifier;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.GateRequest;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Gate requests as the planner's orchestrator writes them, for the verifier's tests. */
final class GateRequests {
  private GateRequests() {}

  static GateCriteria criteria(int soakSeconds, GateFailurePolicy onFailure) {
    return GateCriteria.newBuilder()
        .setSoakSeconds(soakSeconds)
        .setRequireHealthy(true)
        .setRequireProbes(false)
        .setMaxBurnRate(null)
        .setOnGateFailure(onFailure)
        .build();
  }

  static GateSubject subject(
      String cluster, String component, String digest, StepAction action, ResourceRef... refs) {
    return GateSubject.newBuilder()
        .setStepId("step/" + cluster + "/" + component)
        .setCluster(cluster)
        .setComponent(component)
        .setNamespace("gates")
        .setDigest(digest)
        .setAction(action)
        .setResources(List.of(refs))
        .build();
  }

  static RolloutStatusChanged request(
      String rolloutId,
      int waveIndex,
      int attempt,
      Instant occurredAt,
      GateCriteria criteria,
      List<GateSubject> subjects) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(envelope(rolloutId, occurredAt))
        .setStackName("lgtm")
        .setTransition(RolloutTransition.GATE_REQUESTED)
        .setPhase(RolloutPhase.GATING)
        .setWaveIndex(waveIndex)
        .setClusters(subjects.stream().map(GateSubject::getCluster).distinct().toList())
        .setReason("wave " + waveIndex + " applied and healthy")
        .setGate(new GateRequest(criteria, attempt, subjects))
        .setProgress(new RolloutProgress(2, waveIndex, 4, 4, 4, 4, 0))
        .build();
  }

  static RolloutStatusChanged transition(String rolloutId, RolloutTransition transition) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(envelope(rolloutId, Instant.now()))
        .setStackName("lgtm")
        .setTransition(transition)
        .setPhase(RolloutPhase.PROGRESSING)
        .setWaveIndex(0)
        .setReason("test")
        .setProgress(new RolloutProgress(2, 0, 4, 4, 4, 4, 0))
        .build();
  }

  private static EventEnvelope envelope(String rolloutId, Instant occurredAt) {
    return EventEnvelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(occurredAt)
        .setActor("service:planner")
        .setCorrelationId(rolloutId)
        .setCausationId("cause-" + UUID.randomUUID())
        .setProducer("planner")
        .build();
  }
}
