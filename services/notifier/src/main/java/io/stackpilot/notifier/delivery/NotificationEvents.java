package io.stackpilot.notifier.delivery;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.NotifiedAlert;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds NotificationSent and NotificationFailed: caused by the latest event among the alerts of
 * the notification, naming all of them as subjects. Nothing in them comes from a channel's
 * settings, so no credential can get in.
 */
public final class NotificationEvents {
  private final Envelopes envelopes;
  private final ConfluentAvroSerializer encoder;

  public NotificationEvents(Envelopes envelopes, ConfluentAvroSerializer encoder) {
    this.envelopes = envelopes;
    this.encoder = encoder;
  }

  NotificationSent sent(
      LogEntry intent, Channel channel, List<SourcedAlert> about, Deliverer.Result r) {
    return NotificationSent.newBuilder()
        .setEnvelope(envelope(about))
        .setReceiver(intent.receiver())
        .setChannel(channel.kind())
        .setGroupKey(intent.groupKey())
        .setState(intent.firing().isEmpty() ? "resolved" : "firing")
        .setAttempt(r.attempts())
        .setSubjectEventIds(subjects(about))
        .setResponseStatus(r.outcome().status())
        .setChannelId(channel.id())
        .setReceipt(r.outcome().receipt())
        .setFiringAlerts(
            intent.firingAlerts().stream()
                .map(
                    a ->
                        NotifiedAlert.newBuilder()
                            .setFingerprint(a.fingerprint())
                            .setStartsAt(Instant.ofEpochMilli(a.startsAt()))
                            .build())
                .toList())
        .build();
  }

  NotificationFailed failed(
      LogEntry intent, Channel channel, List<SourcedAlert> about, Deliverer.Result r) {
    return NotificationFailed.newBuilder()
        .setEnvelope(envelope(about))
        .setReceiver(intent.receiver())
        .setChannel(channel.kind())
        .setGroupKey(intent.groupKey())
        .setState(intent.firing().isEmpty() ? "resolved" : "firing")
        .setAttempt(r.attempts())
        .setSubjectEventIds(subjects(about))
        .setReason(String.valueOf(r.outcome().detail()))
        .setRetriable(r.outcome().retryable())
        .build();
  }

  byte[] encode(Topic topic, SpecificRecord event) {
    return encoder.serialize(topic.topicName(), event);
  }

  private EventEnvelope envelope(List<SourcedAlert> about) {
    SourcedAlert.Cause cause =
        about.stream()
            .map(SourcedAlert::cause)
            .max(Comparator.comparingLong(SourcedAlert.Cause::occurredAt))
            .orElseThrow(() -> new IllegalStateException("a notification about no alert"));
    return envelopes.causedBy(
        EventEnvelope.newBuilder()
            .setEventId(cause.eventId())
            .setOccurredAt(Instant.ofEpochMilli(cause.occurredAt()))
            .setActor(cause.actor())
            .setCluster(cause.cluster())
            .setTenant(cause.tenant())
            .setCorrelationId(cause.correlationId())
            .setCausationId(null)
            .setProducer(cause.eventType())
            .build());
  }

  private static List<String> subjects(List<SourcedAlert> about) {
    return about.stream().map(a -> a.cause().eventId()).distinct().toList();
  }
}
