package io.stackpilot.notifier.ack;

import io.stackpilot.events.AcknowledgedAlert;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.NotificationAcknowledged;
import io.stackpilot.notifier.channel.PushoverReceipts;
import io.stackpilot.notifier.silence.SilenceLog;
import io.stackpilot.runtime.Envelopes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the receipts of outstanding emergency notifications (Pushover asks for no more than one
 * poll per receipt every 5 s). An acknowledged receipt becomes a NotificationAcknowledged event:
 * the group's firing alerts stop repeating to that receiver until they resolve (Silences), and the
 * group's other outstanding receipts are cancelled, so Pushover stops re-alerting for them. An
 * expired receipt, or one Pushover refuses to know, is forgotten.
 */
public final class AckPoller implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AckPoller.class);

  private final ReceiptTracker tracker;
  private final SilenceLog log;
  private final Envelopes envelopes;
  private final Clock clock;

  public AckPoller(ReceiptTracker tracker, SilenceLog log, Envelopes envelopes, Clock clock) {
    this.tracker = tracker;
    this.log = log;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  /** One round over what is outstanding. */
  @Override
  public void run() {
    for (ReceiptTracker.Outstanding o : tracker.outstanding()) {
      PushoverReceipts.Acknowledgement ack;
      try {
        ack = o.receipts().poll(o.receipt());
      } catch (PushoverReceipts.PollFailedException e) {
        if (!e.retryable()) {
          LOG.warn("receipt of {} dropped: {}", o.notificationId(), e.getMessage());
          tracker.finish(List.of(o), clock.instant());
        }
        continue;
      } catch (RuntimeException e) {
        LOG.warn("receipt of {} not polled: {}", o.notificationId(), e.toString());
        continue;
      }
      if (ack.acknowledged()) {
        acknowledged(o, ack);
      } else if (ack.expired()) {
        LOG.info("emergency notification {} expired unacknowledged", o.notificationId());
        tracker.finish(List.of(o), clock.instant());
      }
    }
  }

  private void acknowledged(ReceiptTracker.Outstanding o, PushoverReceipts.Acknowledgement ack) {
    List<ReceiptTracker.Outstanding> group = tracker.removeGroup(o.receiver(), o.groupKey());
    Map<String, Instant> firing = new LinkedHashMap<>(o.firingSince());
    List<String> cancelled = new ArrayList<>();
    for (ReceiptTracker.Outstanding other : group) {
      other.firingSince().forEach(firing::putIfAbsent);
      if (!other.receipt().equals(o.receipt()) && cancelQuietly(other, "acknowledged")) {
        cancelled.add(other.receipt());
      }
    }
    String by = pseudonym(ack.acknowledgedBy());
    EventEnvelope envelope =
        EventEnvelope.newBuilder(envelopes.root(by, o.notificationId()))
            .setCluster(o.cluster())
            .build();
    NotificationAcknowledged event =
        NotificationAcknowledged.newBuilder()
            .setEnvelope(envelope)
            .setReceiver(o.receiver())
            .setChannel(o.kind())
            .setGroupKey(o.groupKey())
            .setReceipt(o.receipt())
            .setAcknowledgedBy(by)
            .setAcknowledgedAt(
                ack.acknowledgedAt() != null ? ack.acknowledgedAt() : clock.instant())
            .setAlerts(
                firing.entrySet().stream()
                    .map(
                        e ->
                            AcknowledgedAlert.newBuilder()
                                .setFingerprint(e.getKey())
                                .setStartsAt(e.getValue())
                                .build())
                    .toList())
            .setCancelledReceipts(cancelled)
            .build();
    try {
      log.publish(event);
      tracker.finish(group, event.getAcknowledgedAt());
      LOG.info(
          "notification {} to {} acknowledged by {}; {} other receipts cancelled",
          o.notificationId(),
          o.receiver(),
          by,
          cancelled.size());
    } catch (IllegalStateException e) {
      // not recorded: follow the receipts again, the acknowledgement is still there next round
      group.forEach(tracker::track);
      throw e;
    }
  }

  /** Cancels an emergency's retries; false (logged) when Pushover did not confirm it. */
  static boolean cancelQuietly(ReceiptTracker.Outstanding o, String why) {
    try {
      o.receipts().cancel(o.receipt());
      LOG.info("emergency retries of {} cancelled: {}", o.notificationId(), why);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("emergency retries of {} not cancelled: {}", o.notificationId(), e.getMessage());
      return false;
    }
  }

  /** Who acknowledged, without the user key itself (it is half of what sends to that person). */
  static String pseudonym(String userKey) {
    if (userKey == null || userKey.isBlank()) {
      return "pushover-user:unknown";
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(userKey.getBytes(StandardCharsets.UTF_8));
      return "pushover-user:" + HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
