package io.stackpilot.runtime;

import io.stackpilot.events.EventEnvelope;
import java.time.Clock;
import java.util.UUID;

/**
 * Makes the envelopes of the events a service writes: a root envelope for a change a person made,
 * and a caused envelope that keeps the cause's rollout, cluster and actor and points back at it.
 */
public final class Envelopes {
  private final String service;
  private final Clock clock;

  public Envelopes(String service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  /** The first event of a rollout: its correlation id is the new rollout id. */
  public EventEnvelope root(String actor, String rolloutId) {
    return EventEnvelope.newBuilder()
        .setEventId(newId())
        .setOccurredAt(clock.instant())
        .setActor(actor)
        .setCorrelationId(rolloutId)
        .setCausationId(null)
        .setProducer(service)
        .build();
  }

  /** An event caused by {@code cause}: same rollout, cluster, tenant and actor. */
  public EventEnvelope causedBy(EventEnvelope cause) {
    return causedBy(cause, cause.getCluster(), cause.getTenant());
  }

  /** An event caused by {@code cause} about one cluster of its rollout. */
  public EventEnvelope causedBy(EventEnvelope cause, String cluster, String tenant) {
    return EventEnvelope.newBuilder()
        .setEventId(newId())
        .setOccurredAt(clock.instant())
        .setActor(cause.getActor())
        .setCluster(cluster)
        .setTenant(tenant)
        .setCorrelationId(cause.getCorrelationId())
        .setCausationId(cause.getEventId())
        .setProducer(service)
        .build();
  }

  public String service() {
    return service;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
