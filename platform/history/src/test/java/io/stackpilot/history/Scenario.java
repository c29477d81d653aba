package io.stackpilot.history;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A small recorded log, built by hand: stack lgtm with loki on cluster c1. Rollout r1 installs
 * chart 1.0 (digest d1); rollout r2 upgrades to 2.0 (d2), its gate fails and the wave rolls back to
 * d1. An alert fires during r2 and resolves after. Events sit on their catalog topics with offsets
 * in the order they are added; occurredAt is one second apart from T0.
 */
final class Scenario {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final String SPEC1 =
      "kind: ObservabilityStack\nmetadata: {name: lgtm}\nspec:\n  loki:\n    version: 1.0\n    retention: 24h\n";
  static final String SPEC2 = SPEC1.replace("1.0", "2.0");

  final List<RecordedEvent> events = new ArrayList<>();
  private final Map<String, Long> offsets = new java.util.HashMap<>();
  private int second;

  static Scenario rollbackRun() {
    Scenario s = new Scenario();
    String d1 = "r1-decl";
    s.add(
        "stackpilot.desired-state",
        declared(s.env(d1, "r1", null, null, "user:alice"), SPEC1, "install loki", "rev1"));
    s.add(
        "stackpilot.steps",
        request(
            s.env("r1-req", "r1", d1, "c1", "service:planner"),
            "r1/c1/loki",
            StepAction.APPLY,
            "1.0",
            "d1"));
    s.add(
        "stackpilot.step-applied",
        applied(
            s.env("r1-app", "r1", "r1-req", "c1", "service:applier"),
            "r1/c1/loki",
            StepAction.APPLY,
            "d1"));
    s.add(
        "stackpilot.component-health",
        verified(
            s.env("r1-ver", "r1", "r1-app", "c1", "service:verifier"), "d1", HealthStatus.HEALTHY));
    s.add(
        "stackpilot.rollout-status",
        status(
            s.env("r1-end", "r1", "r1-ver", null, "service:planner"),
            RolloutTransition.COMPLETED,
            RolloutPhase.COMPLETED,
            "all waves promoted"));
    s.add(
        "stackpilot.desired-state",
        declared(s.env("r2-decl", "r2", null, null, "user:bob"), SPEC2, "loki 2.0", "rev2"));
    s.add(
        "stackpilot.steps",
        request(
            s.env("r2-req", "r2", "r2-decl", "c1", "service:planner"),
            "r2/c1/loki",
            StepAction.APPLY,
            "2.0",
            "d2"));
    s.add(
        "stackpilot.step-applied",
        applied(
            s.env("r2-app", "r2", "r2-req", "c1", "service:applier"),
            "r2/c1/loki",
            StepAction.APPLY,
            "d2"));
    s.add(
        "stackpilot.alerts",
        alert(s.env("r2-alert", "r2", "r2-app", "c1", "service:verifier"), AlertStatus.FIRING));
    s.add(
        "stackpilot.gate-decisions",
        gate(
            s.env("r2-gate", "r2", "r2-app", null, "service:verifier"),
            GateDecision.ROLL_BACK,
            "c1/loki: Forbidden"));
    s.add(
        "stackpilot.rollout-status",
        status(
            s.env("r2-rb", "r2", "r2-gate", null, "service:planner"),
            RolloutTransition.ROLLBACK_STARTED,
            RolloutPhase.ROLLING_BACK,
            "gate failed: c1/loki: Forbidden"));
    s.add(
        "stackpilot.steps",
        request(
            s.env("r2-undo", "r2", "r2-rb", "c1", "service:planner"),
            "r2/c1/loki/rollback",
            StepAction.ROLL_BACK,
            "1.0",
            "d1"));
    s.add(
        "stackpilot.step-applied",
        applied(
            s.env("r2-undone", "r2", "r2-undo", "c1", "service:applier"),
            "r2/c1/loki/rollback",
            StepAction.ROLL_BACK,
            "d1"));
    s.add(
        "stackpilot.rollout-status",
        status(
            s.env("r2-end", "r2", "r2-undone", null, "service:planner"),
            RolloutTransition.ROLLED_BACK,
            RolloutPhase.ROLLED_BACK,
            "wave 0 rolled back"));
    s.add(
        "stackpilot.alerts",
        alert(
            s.env("r2-resolved", "r2", "r2-undone", "c1", "service:verifier"),
            AlertStatus.RESOLVED));
    return s;
  }

  EventEnvelope env(String id, String rollout, String cause, String cluster, String actor) {
    return EventEnvelope.newBuilder()
        .setEventId(id)
        .setOccurredAt(T0.plusSeconds(second++))
        .setActor(actor)
        .setCluster(cluster)
        .setCorrelationId(rollout)
        .setCausationId(cause)
        .setProducer(
            actor
                .replace("service:", "")
                .replace("user:alice", "planner")
                .replace("user:bob", "planner"))
        .build();
  }

  RecordedEvent add(String topic, SpecificRecord event) {
    long offset = offsets.merge(topic, 1L, Long::sum) - 1;
    RecordedEvent recorded = new RecordedEvent(topic, 0, offset, event);
    events.add(recorded);
    return recorded;
  }

  static DesiredStateChanged declared(EventEnvelope env, String spec, String reason, String rev) {
    return DesiredStateChanged.newBuilder()
        .setEnvelope(env)
        .setStackName("lgtm")
        .setSpecRevision("sha256:" + rev)
        .setFleetRevision("sha256:fleet")
        .setReason(reason)
        .setStackSpec(spec)
        .setFleetSpec("kind: Fleet\n")
        .setChangedComponents(List.of("loki"))
        .build();
  }

  static StepRequested request(
      EventEnvelope env, String stepId, StepAction action, String version, String digest) {
    return StepRequested.newBuilder()
        .setEnvelope(env)
        .setStepId(stepId)
        .setWaveIndex(0)
        .setComponent("loki")
        .setNamespace("obs")
        .setAction(action)
        .setChart(
            ChartRef.newBuilder()
                .setRepository("https://grafana.github.io/helm-charts")
                .setName("loki")
                .setVersion(version)
                .build())
        .setDigest(digest)
        .setStackName("lgtm")
        .build();
  }

  static StepApplied applied(EventEnvelope env, String stepId, StepAction action, String digest) {
    return StepApplied.newBuilder()
        .setEnvelope(env)
        .setStepId(stepId)
        .setComponent("loki")
        .setDigest(digest)
        .setResources(List.of())
        .setDurationMillis(12)
        .setAction(action)
        .build();
  }

  static ComponentVerified verified(EventEnvelope env, String digest, HealthStatus health) {
    return ComponentVerified.newBuilder()
        .setEnvelope(env)
        .setComponent("loki")
        .setDigest(digest)
        .setHealth(health)
        .setReason("all objects ready")
        .build();
  }

  static RolloutStatusChanged status(
      EventEnvelope env, RolloutTransition transition, RolloutPhase phase, String reason) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(env)
        .setStackName("lgtm")
        .setTransition(transition)
        .setPhase(phase)
        .setWaveIndex(0)
        .setClusters(List.of("c1"))
        .setReason(reason)
        .setProgress(new RolloutProgress(1, 0, 1, 1, 1, 0, 0))
        .build();
  }

  static GateDecided gate(EventEnvelope env, GateDecision decision, String reason) {
    return GateDecided.newBuilder()
        .setEnvelope(env)
        .setWaveIndex(0)
        .setClusters(List.of("c1"))
        .setDecision(decision)
        .setReasons(List.of(reason))
        .build();
  }

  static AlertStatusChanged alert(EventEnvelope env, AlertStatus status) {
    return AlertStatusChanged.newBuilder()
        .setEnvelope(env)
        .setStatus(status)
        .setFingerprint("fp-1")
        .setLabels(Map.of("alertname", "LokiDown", "severity", "page"))
        .setStartsAt(T0)
        .build();
  }
}
