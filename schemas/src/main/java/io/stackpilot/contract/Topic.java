package io.stackpilot.contract;

import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.FleetRegistered;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.NotificationAcknowledged;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.ProbeResult;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.SilenceChanged;
import io.stackpilot.events.SloEvaluated;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topic catalog: every event topic, its one value schema, its key, partitions and retention.
 *
 * <p>One value schema per topic keeps TopicNameStrategy subjects ({@code <topic>-value}) and lets
 * any Kafka tool read a topic without knowing Stackpilot. Keys are plain UTF-8 strings.
 */
public enum Topic {
  DESIRED_STATE(
      "stackpilot.desired-state", DesiredStateChanged.class, Key.STACK, 3, Retention.AUDIT),
  ROLLOUTS("stackpilot.rollouts", RolloutPlanned.class, Key.STACK, 3, Retention.AUDIT),
  STEPS("stackpilot.steps", StepRequested.class, Key.CLUSTER, 6, Retention.AUDIT),
  STEP_APPLIED("stackpilot.step-applied", StepApplied.class, Key.CLUSTER, 6, Retention.AUDIT),
  STEP_FAILED("stackpilot.step-failed", StepFailed.class, Key.CLUSTER, 6, Retention.AUDIT),
  DRIFT("stackpilot.drift", DriftDetected.class, Key.CLUSTER, 6, Retention.AUDIT),
  COMPONENT_HEALTH(
      "stackpilot.component-health", ComponentVerified.class, Key.CLUSTER, 6, Retention.AUDIT),
  PROBE_RESULTS("stackpilot.probe-results", ProbeResult.class, Key.CLUSTER, 6, Retention.TELEMETRY),
  SLO_EVALUATIONS(
      "stackpilot.slo-evaluations", SloEvaluated.class, Key.CLUSTER, 6, Retention.TELEMETRY),
  ROLLOUT_STATUS(
      "stackpilot.rollout-status", RolloutStatusChanged.class, Key.ROLLOUT, 3, Retention.AUDIT),
  FLEETS("stackpilot.fleets", FleetRegistered.class, Key.FLEET, 1, Retention.AUDIT),
  GATE_DECISIONS("stackpilot.gate-decisions", GateDecided.class, Key.ROLLOUT, 3, Retention.AUDIT),
  ALERTS("stackpilot.alerts", AlertStatusChanged.class, Key.FINGERPRINT, 6, Retention.AUDIT),
  NOTIFICATIONS_SENT(
      "stackpilot.notifications-sent", NotificationSent.class, Key.RECEIVER, 3, Retention.AUDIT),
  NOTIFICATIONS_FAILED(
      "stackpilot.notifications-failed",
      NotificationFailed.class,
      Key.RECEIVER,
      3,
      Retention.AUDIT),
  SILENCES("stackpilot.silences", SilenceChanged.class, Key.SILENCE, 1, Retention.AUDIT),
  NOTIFICATIONS_ACKNOWLEDGED(
      "stackpilot.notifications-acknowledged",
      NotificationAcknowledged.class,
      Key.RECEIVER,
      3,
      Retention.AUDIT);

  /** What a topic's record key holds; per-key order is what consumers may rely on. */
  public enum Key {
    /** The stack name: one desired state, one rollout at a time per stack. */
    STACK,
    /** The rollout id (the envelope's correlation id). */
    ROLLOUT,
    /** The cluster name: everything about one cluster stays in order. */
    CLUSTER,
    /** The alert fingerprint: a resolve always follows its firing. */
    FINGERPRINT,
    /** The receiver name: deliveries to one receiver stay in order. */
    RECEIVER,
    /** The fleet name: the registrations of one fleet stay in order. */
    FLEET,
    /** The silence id: a silence's creation comes before its expiry. */
    SILENCE
  }

  /** Retention classes; see docs/architecture.md for the reasoning. */
  public enum Retention {
    /** The audit trail: kept forever (retention.ms = -1), cleanup.policy = delete. */
    AUDIT(-1L),
    /** High-volume measurements: 30 days. SLO and gate events keep the verdicts that matter. */
    TELEMETRY(30L * 24 * 60 * 60 * 1000);

    private final long millis;

    Retention(long millis) {
      this.millis = millis;
    }

    public long millis() {
      return millis;
    }
  }

  /** Per-service dead-letter topic: records the service could not decode or process. */
  public static String deadLetterTopic(String service) {
    return "stackpilot.dlq." + service;
  }

  /** Dead-letter topics keep poison records for a week: long enough to inspect and replay. */
  public static final long DEAD_LETTER_RETENTION_MILLIS = 7L * 24 * 60 * 60 * 1000;

  private final String topicName;
  private final Class<? extends SpecificRecord> valueType;
  private final Key key;
  private final int partitions;
  private final Retention retention;

  Topic(
      String topicName,
      Class<? extends SpecificRecord> valueType,
      Key key,
      int partitions,
      Retention retention) {
    this.topicName = topicName;
    this.valueType = valueType;
    this.key = key;
    this.partitions = partitions;
    this.retention = retention;
  }

  public String topicName() {
    return topicName;
  }

  public Class<? extends SpecificRecord> valueType() {
    return valueType;
  }

  public Key key() {
    return key;
  }

  public int partitions() {
    return partitions;
  }

  public Retention retention() {
    return retention;
  }

  public String cleanupPolicy() {
    return "delete";
  }

  /**
   * Largest record the topic accepts. Desired state and rollout plans carry a whole spec, its
   * baseline or every step of a fleet (1,000 clusters x 8 components is ~1.4 MB), and a gate
   * request every step of a wave: above Kafka's 1 MiB default; producers raise {@code
   * max.request.size} to match ({@link #MAX_EVENT_BYTES}).
   */
  public int maxMessageBytes() {
    return switch (this) {
      case DESIRED_STATE, ROLLOUTS, ROLLOUT_STATUS, FLEETS -> MAX_EVENT_BYTES;
      default -> DEFAULT_MAX_MESSAGE_BYTES;
    };
  }

  /** The largest event Stackpilot writes: 8 MiB. */
  public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

  /** Kafka's default message.max.bytes (1 MiB + record batch overhead). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  /** The TopicNameStrategy subject of the value schema. */
  public String valueSubject() {
    return topicName + "-value";
  }

  public Schema valueSchema() {
    try {
      return (Schema) valueType.getField("SCHEMA$").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("generated class without SCHEMA$: " + valueType, e);
    }
  }

  /**
   * The record key of an event on this topic: what per-key ordering is about.
   *
   * @throws IllegalArgumentException when the event lacks what the key needs (a bug in its
   *     producer, never in its consumer)
   */
  public String keyOf(SpecificRecord event) {
    EventEnvelope envelope = envelopeOf(event);
    String value =
        switch (key) {
          case STACK -> stringField(event, "stackName");
          case ROLLOUT -> envelope.getCorrelationId();
          case CLUSTER -> envelope.getCluster();
          case FINGERPRINT -> stringField(event, "fingerprint");
          case RECEIVER -> stringField(event, "receiver");
          case FLEET -> stringField(event, "fleetName");
          case SILENCE -> stringField(event, "silenceId");
        };
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          event.getSchema().getName() + " " + envelope.getEventId() + " has no " + key + " key");
    }
    return value;
  }

  /** Every event carries an {@code envelope} field; this reads it without knowing the type. */
  public static EventEnvelope envelopeOf(SpecificRecord event) {
    Schema.Field field = event.getSchema().getField("envelope");
    if (field == null) {
      throw new IllegalArgumentException(event.getSchema().getFullName() + " has no envelope");
    }
    return (EventEnvelope) event.get(field.pos());
  }

  private static String stringField(SpecificRecord event, String name) {
    Schema.Field field = event.getSchema().getField(name);
    return field == null ? null : String.valueOf(event.get(field.pos()));
  }

  public static Optional<Topic> byName(String topicName) {
    return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
  }

  public static Optional<Topic> byValueType(Class<?> type) {
    return Arrays.stream(values()).filter(t -> t.valueType.equals(type)).findFirst();
  }

  public static List<String> allNames() {
    return Arrays.stream(values()).map(Topic::topicName).toList();
  }
}
