package io.stackpilot.notifier.delivery;

import io.stackpilot.notifier.routing.Alert;
import java.time.Instant;
import java.util.Map;

/**
 * An alert with the event it came from, as the internal topics carry it (JSON): routing's {@link
 * Alert} plus the cause that notification events point back at.
 *
 * @param routePath the route that put it in its group ({@code receiver}, {@code groupKey} with it)
 * @param endsAt epoch millis, or null while firing with no end known
 * @param annotations summary, description, links (runbook_url, rollout); null in records written
 *     before annotations were carried
 */
public record SourcedAlert(
    String routePath,
    String receiver,
    String groupKey,
    Map<String, String> labels,
    long startsAt,
    Long endsAt,
    Cause cause,
    Map<String, String> annotations) {

  public SourcedAlert(
      String routePath,
      String receiver,
      String groupKey,
      Map<String, String> labels,
      long startsAt,
      Long endsAt,
      Cause cause) {
    this(routePath, receiver, groupKey, labels, startsAt, endsAt, cause, null);
  }

  /**
   * The event an alert came from: what a notification about it is caused by.
   *
   * @param traceparent the W3C trace context of the routing of that event, parent of the span that
   *     sends the notification; null when it was not traced
   */
  public record Cause(
      String eventId,
      String eventType,
      String correlationId,
      String cluster,
      String tenant,
      String actor,
      long occurredAt,
      String traceparent) {

    public Cause(
        String eventId,
        String eventType,
        String correlationId,
        String cluster,
        String tenant,
        String actor,
        long occurredAt) {
      this(eventId, eventType, correlationId, cluster, tenant, actor, occurredAt, null);
    }
  }

  public Alert alert() {
    return new Alert(
        labels,
        Instant.ofEpochMilli(startsAt),
        endsAt == null ? null : Instant.ofEpochMilli(endsAt),
        annotations);
  }

  public String fingerprint() {
    return alert().fingerprint();
  }

  /** The same alert, its cause in the trace {@code traceparent} names. */
  public SourcedAlert tracedBy(String traceparent) {
    if (cause == null || traceparent == null) {
      return this;
    }
    Cause traced =
        new Cause(
            cause.eventId(),
            cause.eventType(),
            cause.correlationId(),
            cause.cluster(),
            cause.tenant(),
            cause.actor(),
            cause.occurredAt(),
            traceparent);
    return new SourcedAlert(routePath, receiver, groupKey, labels, startsAt, endsAt, traced);
  }

  /** The same alert placed in another route's group. */
  public SourcedAlert routedTo(String path, String receiverName, String key) {
    return new SourcedAlert(path, receiverName, key, labels, startsAt, endsAt, cause, annotations);
  }
}
