package io.stackpilot.notifier.delivery;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns the events the notifier consumes into alerts for routing. An {@link AlertStatusChanged} is
 * an alert. A lifecycle verdict is a one-off event, made an alert of its own (its rollout among its
 * labels) that fires at once and ends {@code resolveAfter} after it was read. Each carries
 * annotations for the messages: an alert's own; for lifecycle events a {@code summary}, the event's
 * reason as {@code description}, and the {@code rollout} it belongs to.
 */
public final class EventAlerts {
  public static final String VERDICT_ALERTNAME = "StackpilotComponentVerified";
  public static final String ROLLOUT_ALERTNAME = "StackpilotRollout";
  public static final String GATE_ALERTNAME = "StackpilotGateDecided";

  private final Duration resolveAfter;

  public EventAlerts(Duration resolveAfter) {
    this.resolveAfter = resolveAfter;
  }

  /** The alerts an event stands for (none for an event the notifier does not route). */
  public List<SourcedAlert> of(SpecificRecord event, Instant now) {
    if (event instanceof AlertStatusChanged alert) {
      return List.of(alert(alert));
    }
    if (event instanceof ComponentVerified verdict) {
      return List.of(verdict(verdict, now));
    }
    if (event instanceof RolloutStatusChanged transition) {
      return List.of(transition(transition, now));
    }
    if (event instanceof GateDecided gate) {
      return List.of(gate(gate, now));
    }
    return List.of();
  }

  SourcedAlert transition(RolloutStatusChanged t, Instant now) {
    Map<String, String> labels = lifecycleLabels(ROLLOUT_ALERTNAME, t.getEnvelope());
    labels.put("stack", t.getStackName());
    labels.put("transition", t.getTransition().name());
    labels.put("phase", t.getPhase().name());
    labels.put("severity", severity(t.getTransition()));
    if (t.getWaveIndex() != null) {
      labels.put("wave", t.getWaveIndex().toString());
    }
    if (t.getStepId() != null) {
      labels.put("step", t.getStepId());
    }
    String summary =
        "Rollout "
            + t.getEnvelope().getCorrelationId()
            + " of "
            + t.getStackName()
            + ": "
            + t.getTransition().name();
    return oneOff(
        labels,
        t.getEnvelope(),
        "RolloutStatusChanged",
        now,
        lifecycleAnnotations(summary, t.getReason(), t.getEnvelope()));
  }

  SourcedAlert gate(GateDecided g, Instant now) {
    Map<String, String> labels = lifecycleLabels(GATE_ALERTNAME, g.getEnvelope());
    labels.put("decision", g.getDecision().name());
    labels.put("wave", Integer.toString(g.getWaveIndex()));
    labels.put("severity", severity(g.getDecision()));
    String summary = "Gate of wave " + g.getWaveIndex() + ": " + g.getDecision().name();
    return oneOff(
        labels,
        g.getEnvelope(),
        "GateDecided",
        now,
        lifecycleAnnotations(summary, String.join("; ", g.getReasons()), g.getEnvelope()));
  }

  private static Map<String, String> lifecycleLabels(String alertname, EventEnvelope env) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", alertname);
    labels.put("rollout", String.valueOf(env.getCorrelationId()));
    if (env.getCluster() != null) {
      labels.put("cluster", env.getCluster());
    }
    return labels;
  }

  private SourcedAlert oneOff(
      Map<String, String> labels,
      EventEnvelope env,
      String type,
      Instant now,
      Map<String, String> annotations) {
    return new SourcedAlert(
        null,
        null,
        null,
        labels,
        env.getOccurredAt().toEpochMilli(),
        now.plus(resolveAfter).toEpochMilli(),
        cause(env, type),
        annotations);
  }

  /** summary, description (the event's reason, when it gives one) and the rollout's id. */
  static Map<String, String> lifecycleAnnotations(
      String summary, String reason, EventEnvelope env) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("summary", summary);
    if (reason != null && !reason.isBlank()) {
      annotations.put("description", reason);
    }
    annotations.put("rollout", String.valueOf(env.getCorrelationId()));
    return annotations;
  }

  static String severity(RolloutTransition t) {
    switch (t) {
      case STEP_FAILED:
      case STEP_TIMED_OUT:
      case GATE_TIMED_OUT:
      case WAVE_FAILED:
      case ROLLBACK_STARTED:
      case ROLLED_BACK:
      case ABORTED:
        return "critical";
      case REJECTED:
      case PAUSED:
        return "warning";
      default:
        return "info";
    }
  }

  static String severity(GateDecision d) {
    switch (d) {
      case PROMOTE:
        return "info";
      case HOLD:
        return "warning";
      default:
        return "critical";
    }
  }

  static SourcedAlert alert(AlertStatusChanged e) {
    Long endsAt = e.getEndsAt() == null ? null : e.getEndsAt().toEpochMilli();
    if (e.getStatus() == AlertStatus.RESOLVED && endsAt == null) {
      endsAt = e.getEnvelope().getOccurredAt().toEpochMilli();
    }
    return new SourcedAlert(
        null,
        null,
        null,
        Map.copyOf(e.getLabels()),
        e.getStartsAt().toEpochMilli(),
        endsAt,
        cause(e.getEnvelope(), "AlertStatusChanged"),
        e.getAnnotations() == null ? Map.of() : Map.copyOf(e.getAnnotations()));
  }

  SourcedAlert verdict(ComponentVerified v, Instant now) {
    EventEnvelope env = v.getEnvelope();
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", VERDICT_ALERTNAME);
    labels.put("cluster", String.valueOf(env.getCluster()));
    labels.put("component", v.getComponent());
    labels.put("health", v.getHealth().name());
    labels.put("severity", severity(v.getHealth()));
    labels.put("rollout", String.valueOf(env.getCorrelationId()));
    if (env.getTenant() != null) {
      labels.put("tenant", env.getTenant());
    }
    return new SourcedAlert(
        null,
        null,
        null,
        labels,
        env.getOccurredAt().toEpochMilli(),
        now.plus(resolveAfter).toEpochMilli(),
        cause(env, "ComponentVerified"),
        lifecycleAnnotations(
            v.getComponent() + " on " + env.getCluster() + ": " + v.getHealth().name(),
            v.getReason(),
            env));
  }

  static String severity(HealthStatus health) {
    switch (health) {
      case HEALTHY:
      case PROGRESSING:
        return "info";
      case DEGRADED:
      case MISSING:
        return "critical";
      default:
        return "warning";
    }
  }

  static SourcedAlert.Cause cause(EventEnvelope env, String type) {
    return new SourcedAlert.Cause(
        env.getEventId(),
        type,
        env.getCorrelationId(),
        env.getCluster(),
        env.getTenant(),
        env.getActor(),
        env.getOccurredAt().toEpochMilli());
  }
}
