package io.stackpilot.stackctl;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.FleetRegistered;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.avro.specific.SpecificRecord;

/** One readable line per event: when, who wrote it, what type, which cluster, what it says. */
final class EventLines {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private EventLines() {}

  /** What a line shows of an envelope. */
  record EnvelopeView(String time, String producer, String type, String cluster) {}

  static String line(EnvelopeView e, String what) {
    return String.format(
        "%s  %-9s %-20s %-14s %s", e.time(), e.producer(), e.type(), e.cluster(), what);
  }

  static String line(SpecificRecord event) {
    EventEnvelope envelope = Topic.envelopeOf(event);
    EnvelopeView view =
        new EnvelopeView(
            TIME.format(envelope.getOccurredAt()),
            envelope.getProducer(),
            event.getSchema().getName(),
            envelope.getCluster() == null ? "-" : envelope.getCluster());
    return line(view, describe(event));
  }

  static String describe(SpecificRecord event) {
    if (event instanceof DesiredStateChanged e) {
      return e.getStackName() + " by " + e.getEnvelope().getActor() + ": \"" + e.getReason() + "\"";
    }
    if (event instanceof RolloutPlanned e) {
      return e.getWaves().size()
          + " waves, "
          + e.getSteps().size()
          + " steps: "
          + e.getWaves().stream().map(w -> w.getName() + w.getClusters()).toList();
    }
    if (event instanceof RolloutStatusChanged e) {
      return transition(e);
    }
    if (event instanceof StepRequested e) {
      return "wave "
          + e.getWaveIndex()
          + "  "
          + e.getComponent()
          + " "
          + chart(e)
          + (e.getAction() == null || e.getAction().name().equals("APPLY")
              ? ""
              : " " + e.getAction());
    }
    if (event instanceof StepApplied e) {
      return e.getComponent()
          + "  "
          + e.getResources().size()
          + " objects in "
          + e.getDurationMillis()
          + " ms, "
          + shortDigest(e.getDigest());
    }
    if (event instanceof StepFailed e) {
      return e.getComponent()
          + "  FAILED "
          + e.getReason()
          + (e.getRetriable() ? " (retriable)" : "")
          + ": "
          + e.getMessage();
    }
    if (event instanceof ComponentVerified e) {
      return e.getComponent() + "  " + e.getHealth() + " - " + e.getReason();
    }
    if (event instanceof GateDecided e) {
      return "wave "
          + e.getWaveIndex()
          + " "
          + e.getClusters()
          + "  "
          + e.getDecision()
          + (e.getReasons().isEmpty() ? "" : ": " + String.join("; ", e.getReasons()));
    }
    if (event instanceof FleetRegistered e) {
      return "fleet "
          + e.getFleetName()
          + " "
          + shortDigest(e.getFleetRevision())
          + " "
          + e.getClusters();
    }
    if (event instanceof NotificationSent e) {
      return "-> "
          + e.getReceiver()
          + " ("
          + e.getChannel()
          + ") "
          + e.getState()
          + ", HTTP "
          + e.getResponseStatus();
    }
    if (event instanceof NotificationFailed e) {
      return "-> " + e.getReceiver() + " FAILED: " + e.getReason();
    }
    return event.getSchema().getName();
  }

  /**
   * A rollout's transition: {@code WAVE_PROMOTED -> PROGRESSING wave 0 [foundation]: gate passed
   * (5/15 applied, 5 healthy, 0 failed)}.
   */
  static String transition(RolloutStatusChanged e) {
    StringBuilder s = new StringBuilder();
    s.append(e.getTransition()).append(" -> ").append(e.getPhase());
    if (e.getWaveIndex() != null) {
      s.append("  wave ").append(e.getWaveIndex()).append(' ').append(e.getClusters());
    }
    if (e.getStepId() != null) {
      s.append("  step ").append(e.getStepId());
    }
    if (e.getReason() != null && !e.getReason().isEmpty()) {
      s.append(": ").append(e.getReason());
    }
    RolloutProgress p = e.getProgress();
    s.append(
        String.format(
            " (%d/%d applied, %d healthy, %d failed)",
            p.getStepsApplied(), p.getStepsTotal(), p.getStepsHealthy(), p.getStepsFailed()));
    return s.toString();
  }

  private static String chart(StepRequested e) {
    return e.getChart() == null ? "" : e.getChart().getName() + "@" + e.getChart().getVersion();
  }

  private static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
  }
}
