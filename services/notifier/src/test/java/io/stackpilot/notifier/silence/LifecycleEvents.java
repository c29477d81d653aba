package io.stackpilot.notifier.silence;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The planner's and verifier's wave events, as they write them. */
public final class LifecycleEvents {
  private LifecycleEvents() {}

  public static RolloutStatusChanged waveStarted(String rollout, int wave, List<String> clusters) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(envelope(rollout, "planner"))
        .setStackName("lgtm")
        .setTransition(RolloutTransition.WAVE_STARTED)
        .setPhase(RolloutPhase.PROGRESSING)
        .setWaveIndex(wave)
        .setClusters(clusters)
        .setReason("wave " + wave + " started")
        .setProgress(new RolloutProgress(2, 0, 2, 1, 0, 0, 0))
        .build();
  }

  public static GateDecided gateDecided(String rollout, int wave, List<String> clusters) {
    return GateDecided.newBuilder()
        .setEnvelope(envelope(rollout, "verifier"))
        .setWaveIndex(wave)
        .setClusters(clusters)
        .setDecision(GateDecision.PROMOTE)
        .build();
  }

  private static EventEnvelope envelope(String rollout, String producer) {
    return EventEnvelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setActor("user:alice")
        .setCorrelationId(rollout)
        .setProducer(producer)
        .build();
  }
}
