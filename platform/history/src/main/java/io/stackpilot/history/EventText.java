package io.stackpilot.history;

import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.FleetRegistered;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.ProbeResult;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/** What a timeline says of an event: a one-line summary, the reason it carries, its digests. */
final class EventText {
  private EventText() {}

  static String summary(SpecificRecord event) {
    if (event instanceof DesiredStateChanged e) {
      return "declared "
          + e.getStackName()
          + " revision "
          + shortDigest(e.getSpecRevision())
          + ", changed "
          + e.getChangedComponents();
    }
    if (event instanceof RolloutPlanned e) {
      return "planned "
          + e.getWaves().size()
          + " waves, "
          + e.getSteps().size()
          + " steps: "
          + e.getWaves().stream()
              .map(w -> w.getName() + w.getClusters())
              .collect(Collectors.joining(" "))
          + ", on gate failure "
          + e.getOnGateFailure();
    }
    if (event instanceof RolloutStatusChanged e) {
      return e.getTransition()
          + (e.getWaveIndex() == null ? "" : " wave " + e.getWaveIndex())
          + (e.getClusters().isEmpty() ? "" : " " + e.getClusters())
          + " -> "
          + e.getPhase();
    }
    if (event instanceof StepRequested e) {
      return "requested "
          + e.getAction()
          + " "
          + e.getComponent()
          + (e.getChart() == null ? "" : " chart " + e.getChart().getVersion())
          + " (wave "
          + e.getWaveIndex()
          + ")";
    }
    if (event instanceof StepApplied e) {
      return "applied "
          + e.getAction()
          + " "
          + e.getComponent()
          + ": "
          + e.getResources().size()
          + " objects";
    }
    if (event instanceof StepFailed e) {
      return "failed "
          + e.getComponent()
          + " (attempt "
          + e.getAttempt()
          + (e.getRetriable() ? ", retriable" : ", not retriable")
          + ")";
    }
    if (event instanceof ComponentVerified e) {
      return e.getComponent() + " " + e.getHealth();
    }
    if (event instanceof DriftDetected e) {
      return e.getComponent() + " " + e.getStatus() + ": " + e.getObjects().size() + " objects";
    }
    if (event instanceof GateDecided e) {
      long failed = e.getEvidence().stream().filter(g -> !g.getPassed()).count();
      return "gate wave "
          + e.getWaveIndex()
          + " "
          + e.getClusters()
          + ": "
          + e.getDecision()
          + " ("
          + failed
          + " of "
          + e.getEvidence().size()
          + " checks failed)";
    }
    if (event instanceof ProbeResult e) {
      return "probe " + e.getKind() + " " + e.getComponent() + (e.getSuccess() ? " ok" : " failed");
    }
    if (event instanceof SloEvaluated e) {
      return "SLO " + e.getSlo() + " budget left " + e.getErrorBudgetRemaining();
    }
    if (event instanceof AlertStatusChanged e) {
      return "alert " + e.getLabels().get("alertname") + " " + e.getStatus();
    }
    if (event instanceof NotificationSent e) {
      return "notified " + e.getReceiver() + " via " + e.getChannel() + " (" + e.getState() + ")";
    }
    if (event instanceof NotificationFailed e) {
      return "could not notify "
          + e.getReceiver()
          + " via "
          + e.getChannel()
          + " ("
          + e.getState()
          + ")";
    }
    if (event instanceof FleetRegistered e) {
      return "registered fleet " + e.getFleetName() + " " + e.getClusters();
    }
    return event.getSchema().getName();
  }

  /** The why an event records, where it has one. */
  static String reason(SpecificRecord event) {
    if (event instanceof DesiredStateChanged e) {
      return e.getReason();
    }
    if (event instanceof RolloutStatusChanged e) {
      return e.getReason();
    }
    if (event instanceof GateDecided e) {
      List<String> reasons = new ArrayList<>(e.getReasons());
      for (GateEvidence evidence : e.getEvidence()) {
        if (!evidence.getPassed() && reasons.isEmpty()) {
          reasons.add(evidence.getSubject() + ": " + evidence.getDetail());
        }
      }
      return String.join("; ", reasons);
    }
    if (event instanceof StepFailed e) {
      return e.getReason() + ": " + e.getMessage();
    }
    if (event instanceof ComponentVerified e) {
      return e.getReason();
    }
    if (event instanceof FleetRegistered e) {
      return e.getReason();
    }
    if (event instanceof NotificationFailed e) {
      return e.getReason();
    }
    if (event instanceof ProbeResult e) {
      return e.getMessage();
    }
    if (event instanceof AlertStatusChanged e) {
      return e.getAnnotations().get("summary");
    }
    return null;
  }

  /** The digests an event names: what was declared, requested, applied or verified. */
  static List<String> digests(SpecificRecord event) {
    List<String> digests = new ArrayList<>();
    if (event instanceof DesiredStateChanged e) {
      add(digests, e.getSpecRevision());
      add(digests, e.getFleetRevision());
    } else if (event instanceof RolloutPlanned e) {
      add(digests, e.getSpecRevision());
    } else if (event instanceof StepRequested e) {
      add(digests, e.getDigest());
      add(digests, e.getPreviousDigest());
    } else if (event instanceof StepApplied e) {
      add(digests, e.getDigest());
    } else if (event instanceof StepFailed e) {
      add(digests, e.getDigest());
    } else if (event instanceof ComponentVerified e) {
      add(digests, e.getDigest());
    } else if (event instanceof DriftDetected e) {
      add(digests, e.getDigest());
    }
    return digests;
  }

  static String shortDigest(String digest) {
    if (digest == null) {
      return "-";
    }
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private static void add(List<String> digests, String digest) {
    if (digest != null && !digest.isBlank()) {
      digests.add(digest);
    }
  }
}
