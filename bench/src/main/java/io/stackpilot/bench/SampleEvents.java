package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepApplied;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The records every rung sends, built (and, for the raw rung, encoded) once before any timing:
 * realistic {@code StepApplied} events whose ids, names and versions differ per record, so no layer
 * can cache a result. Index {@link #priming()} is an extra record sent before the clock starts.
 */
final class SampleEvents {
  private static final String[] COMPONENTS = {"loki", "mimir", "tempo", "grafana", "alloy"};
  private static final Instant START = Instant.parse("2026-11-21T08:00:00Z");
  private static final int CLUSTERS = 40;
  private static final int STEPS_PER_ROLLOUT = 50;

  private final StepApplied[] events;
  private final String[] keys;
  private final byte[][] keyBytes;
  private final byte[][] encoded;

  private SampleEvents(int count) {
    events = new StepApplied[count + 1];
    keys = new String[count + 1];
    keyBytes = new byte[count + 1][];
    encoded = new byte[count + 1][];
    UUID run = UUID.randomUUID();
    FramedAvroEncoder encoder = new FramedAvroEncoder();
    for (int i = 0; i <= count; i++) {
      events[i] = event(run, i);
      keys[i] = Topic.STEP_APPLIED.keyOf(events[i]);
      keyBytes[i] = keys[i].getBytes(StandardCharsets.UTF_8);
      encoded[i] = encoder.encode(events[i]);
    }
  }

  /** {@code count} records plus the priming record. */
  static SampleEvents build(int count) {
    return new SampleEvents(count);
  }

  static StepApplied event(UUID run, int i) {
    String cluster = String.format("prod-eu-west-1-c%03d", i % CLUSTERS);
    String component = COMPONENTS[i % COMPONENTS.length];
    String rollout = "rollout-2026-11-21-" + (i / STEPS_PER_ROLLOUT);
    long resourceVersion = 180_000_000L + 2L * i;
    EventEnvelope envelope =
        EventEnvelope.newBuilder()
            .setEventId(new UUID(run.getMostSignificantBits(), i).toString())
            .setOccurredAt(START.plusMillis(7L * i))
            .setActor("service:applier")
            .setCluster(cluster)
            .setTenant("tenant-" + (i % CLUSTERS))
            .setCorrelationId(rollout)
            .setCausationId(new UUID(run.getLeastSignificantBits(), i).toString())
            .setProducer("applier")
            .build();
    return StepApplied.newBuilder()
        .setEnvelope(envelope)
        .setStepId(rollout + "/" + cluster + "/" + component)
        .setComponent(component)
        .setDigest(String.format("sha256:%016x%016x%016x%016x", i, ~i, 31L * i, run.hashCode()))
        .setResources(
            List.of(
                new ResourceRef(
                    "apps/v1",
                    "StatefulSet",
                    "lgtm-system",
                    component + "-backend",
                    Long.toString(resourceVersion)),
                new ResourceRef(
                    "v1",
                    "ConfigMap",
                    "lgtm-system",
                    component + "-config",
                    Long.toString(resourceVersion + 1))))
        .setDurationMillis(40 + i % 900)
        .build();
  }

  int count() {
    return events.length - 1;
  }

  int priming() {
    return events.length - 1;
  }

  StepApplied event(int i) {
    return events[i];
  }

  String key(int i) {
    return keys[i];
  }

  byte[] keyBytes(int i) {
    return keyBytes[i];
  }

  byte[] encoded(int i) {
    return encoded[i];
  }

  /** Mean size of the framed value (magic byte, schema id, Avro binary), in bytes. */
  double meanEncodedSize() {
    long total = 0;
    for (byte[] value : encoded) {
      total += value.length;
    }
    return (double) total / encoded.length;
  }
}
