package io.stackpilot.notifier.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The notification log's value for one receiver, group and channel: the last notification decided
 * (PENDING: written before the send, so a crash leaves it ambiguous) or delivered (SENT).
 *
 * @param seq how many notifications this key has had; part of the notification id, so a repeat of
 *     the same alerts gets a new id and a re-send of an ambiguous one the same
 * @param at epoch millis of the flush that decided it (repeat_interval counts from here)
 * @param appliedOffset the routed-alerts offset the flush had read to: older resolved alerts were
 *     already seen by a flush and are not fed again on a rebuild
 * @param groupLabels the group's labels, kept while PENDING (with the alerts) so a restart can
 *     re-send the notification
 * @param previous while PENDING, the entry it replaces (null: none): written back when the send
 *     fails, so the group keeps its sequence and what it was last sent, and is tried again
 */
public record LogEntry(
    String receiver,
    String groupKey,
    String channelId,
    String state,
    String notificationId,
    long seq,
    Set<String> firing,
    Set<String> resolved,
    long at,
    long appliedOffset,
    Map<String, String> groupLabels,
    List<SourcedAlert> firingAlerts,
    List<SourcedAlert> resolvedAlerts,
    LogEntry previous) {

  public static final String PENDING = "PENDING";
  public static final String SENT = "SENT";

  public boolean pending() {
    return PENDING.equals(state);
  }

  public LogEntry sent() {
    return new LogEntry(
        receiver,
        groupKey,
        channelId,
        SENT,
        notificationId,
        seq,
        firing,
        resolved,
        at,
        appliedOffset,
        Map.of(),
        List.of(),
        List.of(),
        null);
  }

  /** This entry as the previous one of a new intent (one level: no chain of previous entries). */
  public LogEntry asPrevious() {
    return previous == null ? this : withPrevious(null);
  }

  /** This entry with another previous one. */
  public LogEntry withPrevious(LogEntry before) {
    return new LogEntry(
        receiver,
        groupKey,
        channelId,
        state,
        notificationId,
        seq,
        firing,
        resolved,
        at,
        appliedOffset,
        groupLabels,
        firingAlerts,
        resolvedAlerts,
        before);
  }
}
