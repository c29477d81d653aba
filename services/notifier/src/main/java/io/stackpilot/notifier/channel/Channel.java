package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.Notification;

/**
 * One configured way of reaching people: one entry of a receiver's {@code pushover_configs}, {@code
 * ntfy_configs}, {@code webhook_configs}, {@code slack_configs}, {@code alertmanager_configs} or
 * {@code email_configs}. A channel makes exactly one attempt per call; retries, rate limits and the
 * circuit breaker belong to delivery, which calls it.
 */
public interface Channel {

  /** The receiver this channel belongs to. */
  String receiver();

  /**
   * A stable id within the receiver, e.g. {@code pushover/0}: the config key without {@code
   * _configs} and the entry's index. Delivery keys its notification log and its limits by receiver
   * and this id.
   */
  String id();

  /** The channel kind, as recorded in notification events. */
  io.stackpilot.events.Channel kind();

  /**
   * Sends the notification once. Never throws for a failed send: the outcome says what happened and
   * whether trying again may help.
   *
   * @param notificationId a stable id of this notification (the same on every attempt and on every
   *     replica), sent where the service accepts one (an idempotency key or a header)
   */
  SendOutcome send(Notification notification, String notificationId);
}
