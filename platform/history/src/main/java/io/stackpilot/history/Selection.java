package io.stackpilot.history;

import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.ProbeResult;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which events a timeline shows: those of a rollout (correlation id), a cluster, a component,
 * and/or a time range [since, until). Null criteria match everything; set ones must all match.
 */
public record Selection(
    String rollout, String cluster, String component, Instant since, Instant until) {

  public static Selection all() {
    return new Selection(null, null, null, null, null);
  }

  public static Selection rollout(String id) {
    return new Selection(id, null, null, null, null);
  }

  public static Selection cluster(String name) {
    return new Selection(null, name, null, null, null);
  }

  public static Selection component(String name) {
    return new Selection(null, null, name, null, null);
  }

  public Selection between(Instant from, Instant to) {
    return new Selection(rollout, cluster, component, from, to);
  }

  public boolean matches(RecordedEvent recorded) {
    EventEnvelope envelope = recorded.envelope();
    Instant at = envelope.getOccurredAt();
    return (rollout == null || rollout.equals(envelope.getCorrelationId()))
        && (cluster == null || namesCluster(recorded.event(), envelope))
        && (component == null
            || component.equals(componentOf(recorded.event()))
            || changes(recorded.event()))
        && (since == null || !at.isBefore(since))
        && (until == null || at.isBefore(until));
  }

  private boolean namesCluster(SpecificRecord event, EventEnvelope envelope) {
    if (cluster.equals(envelope.getCluster())) {
      return true;
    }
    if (event instanceof GateDecided e) {
      return e.getClusters().contains(cluster);
    }
    if (event instanceof RolloutStatusChanged e) {
      return e.getClusters().contains(cluster);
    }
    return false;
  }

  private boolean changes(SpecificRecord event) {
    if (event instanceof DesiredStateChanged e) {
      return e.getChangedComponents().contains(component);
    }
    if (event instanceof GateDecided e) {
      return e.getEvidence().stream()
          .map(GateEvidence::getSubject)
          .anyMatch(s -> s != null && s.endsWith("/" + component));
    }
    return false;
  }

  /** The component an event is about, when it is about one. */
  static String componentOf(SpecificRecord event) {
    if (event instanceof StepRequested e) {
      return e.getComponent();
    }
    if (event instanceof StepApplied e) {
      return e.getComponent();
    }
    if (event instanceof StepFailed e) {
      return e.getComponent();
    }
    if (event instanceof ComponentVerified e) {
      return e.getComponent();
    }
    if (event instanceof DriftDetected e) {
      return e.getComponent();
    }
    if (event instanceof ProbeResult e) {
      return e.getComponent();
    }
    if (event instanceof SloEvaluated e) {
      return e.getComponent();
    }
    return null;
  }
}
