package io.stackpilot.testing;

import io.stackpilot.events.ChartRef;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid events for tests that drive one service by writing its input topic directly. */
public final class Events {
  private Events() {}

  public static EventEnvelope envelope(String eventId, String rolloutId, String cluster) {
    return EventEnvelope.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(Instant.parse("2026-11-21T08:00:00Z"))
        .setActor("user:test")
        .setCluster(cluster)
        .setTenant(cluster)
        .setCorrelationId(rolloutId)
        .setCausationId("cause-of-" + eventId)
        .setProducer("test")
        .build();
  }

  public static StepRequested stepRequested(String rolloutId, String cluster, String component) {
    return StepRequested.newBuilder()
        .setEnvelope(
            envelope("step-" + rolloutId + "-" + cluster + "-" + component, rolloutId, cluster))
        .setStepId(rolloutId + "/" + cluster + "/" + component)
        .setWaveIndex(0)
        .setComponent(component)
        .setNamespace("lgtm-system")
        .setAction(StepAction.APPLY)
        .setChart(new ChartRef("https://grafana.github.io/helm-charts", component, "1.0.0"))
        .setValues(Map.of("loki.auth_enabled", "true"))
        .setDigest("sha256:" + component + "-1")
        .build();
  }

  public static StepApplied stepApplied(
      String rolloutId, String cluster, String component, List<ResourceRef> resources) {
    return StepApplied.newBuilder()
        .setEnvelope(
            envelope("applied-" + rolloutId + "-" + cluster + "-" + component, rolloutId, cluster))
        .setStepId(rolloutId + "/" + cluster + "/" + component)
        .setComponent(component)
        .setDigest("sha256:" + component + "-1")
        .setResources(resources)
        .setDurationMillis(5)
        .build();
  }

  public static ComponentVerified verified(
      String rolloutId, String cluster, String component, HealthStatus health) {
    return ComponentVerified.newBuilder()
        .setEnvelope(
            envelope("verified-" + rolloutId + "-" + cluster + "-" + component, rolloutId, cluster))
        .setStepId(rolloutId + "/" + cluster + "/" + component)
        .setComponent(component)
        .setDigest("sha256:" + component + "-1")
        .setHealth(health)
        .setReason("test verdict")
        .build();
  }
}
