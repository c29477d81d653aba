package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a flush decided to send: one receiver, one aggregation group, the group's firing and
 * resolved alerts that are neither inhibited nor silenced.
 */
public record Notification(
    String receiver,
    String groupKey,
    Map<String, String> groupLabels,
    List<Alert> firing,
    List<Alert> resolved,
    Instant at) {

  public Notification {
    groupLabels = Map.copyOf(groupLabels);
    firing = List.copyOf(firing);
    resolved = List.copyOf(resolved);
  }
}
