package io.stackpilot.notifier.delivery;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.runtime.tracing.KafkaTraceContext;
import io.stackpilot.runtime.tracing.Tracing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The span a notification is sent in: child of the routing of the alert that caused it (the latest,
 * as the notification events' envelope says), linked to the other alerts' traces when it groups
 * several, so the HTTP send and its NotificationSent/Failed continue the change's trace.
 */
final class NotificationTraces {
  static final String SERVICE = "notifier";

  private NotificationTraces() {}

  static Span send(LogEntry intent, Channel channel) {
    List<SourcedAlert> about = new ArrayList<>(intent.firingAlerts());
    about.addAll(intent.resolvedAlerts());
    SourcedAlert.Cause cause =
        about.stream()
            .map(SourcedAlert::cause)
            .filter(Objects::nonNull)
            .max(Comparator.comparingLong(SourcedAlert.Cause::occurredAt))
            .orElse(null);
    SpanBuilder builder =
        Tracing.of(SERVICE)
            .work(
                "send",
                KafkaTraceContext.fromTraceparent(cause == null ? null : cause.traceparent()))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("stackpilot.receiver", channel.receiver())
            .setAttribute("stackpilot.channel", channel.id())
            .setAttribute("stackpilot.notification_id", intent.notificationId());
    if (cause != null) {
      if (cause.cluster() != null) {
        builder.setAttribute(Tracing.CLUSTER, cause.cluster());
      }
      if (cause.correlationId() != null) {
        builder.setAttribute(Tracing.ROLLOUT_ID, cause.correlationId());
      }
    }
    about.stream()
        .map(SourcedAlert::cause)
        .filter(c -> c != null && c != cause && c.traceparent() != null)
        .map(
            c ->
                io.opentelemetry.api.trace.Span.fromContext(
                        KafkaTraceContext.fromTraceparent(c.traceparent()))
                    .getSpanContext())
        .filter(SpanContext::isValid)
        .distinct()
        .limit(32)
        .forEach(builder::addLink);
    return builder.startSpan();
  }

  static void outcome(Span span, Deliverer.Result result) {
    span.setAttribute("stackpilot.delivered", result.delivered());
    span.setAttribute("stackpilot.attempts", (long) result.attempts());
    if (!result.delivered()) {
      span.setStatus(StatusCode.ERROR, "not delivered"); // the detail may name the endpoint
    }
  }
}
