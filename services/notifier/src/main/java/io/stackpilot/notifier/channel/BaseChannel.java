package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every channel does around its one request: skip a resolved-only notification when {@code
 * send_resolved} is off, turn an unreadable secret or an unexpected error into a failed outcome,
 * redact the detail, and log the outcome (redacted) once.
 */
abstract class BaseChannel implements Channel {

  private static final Logger LOG = LoggerFactory.getLogger(Channel.class);

  private final String receiver;
  private final String id;
  private final io.stackpilot.events.Channel kind;
  private final boolean sendResolved;
  protected final ChannelDefaults defaults;

  BaseChannel(
      String receiver,
      String id,
      io.stackpilot.events.Channel kind,
      boolean sendResolved,
      ChannelDefaults defaults) {
    this.receiver = receiver;
    this.id = id;
    this.kind = kind;
    this.sendResolved = sendResolved;
    this.defaults = defaults;
  }

  @Override
  public final String receiver() {
    return receiver;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final io.stackpilot.events.Channel kind() {
    return kind;
  }

  @Override
  public final SendOutcome send(Notification notification, String notificationId) {
    if (!sendResolved) {
      notification =
          new Notification(
              notification.receiver(),
              notification.groupKey(),
              notification.groupLabels(),
              notification.firing(),
              java.util.List.of(),
              notification.at());
    }
    if (notification.firing().isEmpty() && notification.resolved().isEmpty()) {
      return new SendOutcome(
          true, false, null, "nothing to send: no firing alert and send_resolved is off", null);
    }
    Redactor redactor = new Redactor();
    SendOutcome outcome;
    try {
      outcome =
          attempt(new TemplateData(notification, defaults.externalUrl()), notificationId, redactor);
    } catch (Credential.MissingSecretException e) {
      // a missing Secret may be created or mounted later
      outcome = SendOutcome.failed(true, null, e.getMessage());
    } catch (RuntimeException e) {
      outcome =
          SendOutcome.failed(false, null, redactor.redact("failed: " + HttpAttempt.describe(e)));
    }
    SendOutcome safe =
        new SendOutcome(
            outcome.delivered(),
            outcome.retryable(),
            outcome.status(),
            redactor.redact(outcome.detail()),
            outcome.receipt());
    if (safe.delivered()) {
      LOG.debug(
          "{} {}/{} group {}: {}", kind, receiver, id, notification.groupKey(), safe.detail());
    } else {
      LOG.warn(
          "{} {}/{} group {}: not delivered ({}): {}",
          kind,
          receiver,
          id,
          notification.groupKey(),
          safe.retryable() ? "retryable" : "refused",
          safe.detail());
    }
    return safe;
  }

  /** One request; secret values it reads are registered with {@code redactor} before use. */
  abstract SendOutcome attempt(TemplateData data, String notificationId, Redactor redactor);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + receiver + "/" + id + "]";
  }

  /**
   * The priority for a notification: the highest of its firing alerts' severities, mapped; for a
   * notification with only resolved alerts, that of the resolved ones but at most {@code
   * resolvedCap} (a resolution never pages).
   */
  static int priority(
      Notification n, Map<String, Integer> bySeverity, int unknown, int resolvedCap) {
    boolean firing = !n.firing().isEmpty();
    int best = Integer.MIN_VALUE;
    for (Alert a : firing ? n.firing() : n.resolved()) {
      String severity = a.labels().getOrDefault("severity", "");
      best = Math.max(best, bySeverity.getOrDefault(severity, unknown));
    }
    if (best == Integer.MIN_VALUE) {
      best = unknown;
    }
    return firing ? best : Math.min(best, resolvedCap);
  }

  /** At most {@code max} code points; a cut text ends with an ellipsis (counted in {@code max}). */
  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, max - 1);
    return text.substring(0, end) + "…";
  }
}
