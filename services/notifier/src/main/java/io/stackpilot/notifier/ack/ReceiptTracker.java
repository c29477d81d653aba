package io.stackpilot.notifier.ack;

import io.stackpilot.events.NotificationAcknowledged;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.NotifiedAlert;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.PushoverReceipts;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.delivery.ChannelDirectory;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.RoutingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipts of emergency notifications still waiting for an acknowledgement. The replica that
 * sends one follows it at once; and every replica folds the NotificationSent events of the last
 * {@link #FOLLOW_FOR} (Pushover's longest {@code expire}) and the NotificationAcknowledged events,
 * so a restarted or another replica follows what was sent before it (the {@link AckPoller} polls
 * those of the groups this replica owns). A receipt learned of after its group was acknowledged, or
 * resolved, is cancelled rather than followed. As a {@link ChannelDirectory} it wraps the Pushover
 * channels: a notification of a group whose alerts all resolved cancels the group's outstanding
 * receipts (nobody should be paged again for what is over).
 */
public final class ReceiptTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptTracker.class);

  /** An emergency notification waiting for its acknowledgement. */
  public record Outstanding(
      String receipt,
      String receiver,
      String groupKey,
      String notificationId,
      io.stackpilot.events.Channel kind,
      PushoverReceipts receipts,
      String cluster,
      Map<String, Instant> firingSince,
      Instant sentAt) {}

  /** Pushover's longest {@code expire}: a receipt older than this has nothing left to stop. */
  public static final Duration FOLLOW_FOR = Duration.ofHours(3);

  private final Map<String, Outstanding> byReceipt = new LinkedHashMap<>();
  // receipts acknowledged or cancelled, with when: a NotificationSent read late must not bring one
  // back (it would be polled and acknowledged twice)
  private final Map<String, Instant> finished = new LinkedHashMap<>();
  // receiver and group -> when it was last acknowledged
  private final Map<String, Instant> ackedGroups = new LinkedHashMap<>();
  private final Supplier<RoutingConfig> configs;
  private volatile ChannelDirectory directory;
  private volatile BiPredicate<String, String> owns = (receiver, groupKey) -> true;

  /**
   * A tracker that finds a receipt's channel in the routing configuration {@code configs} gives.
   */
  public ReceiptTracker(Supplier<RoutingConfig> configs) {
    this.configs = configs;
  }

  /** The directory whose Pushover channels cancel a resolved group's receipts. */
  public ChannelDirectory tracking(ChannelDirectory channels) {
    this.directory = channels;
    return (config, receiver) -> wrap(channels.channels(config, receiver));
  }

  /**
   * Follows only the receipts of the groups this replica owns ({@code owns} receiver and group
   * key): each receipt is polled by one replica.
   */
  public void followOwned(BiPredicate<String, String> owns) {
    this.owns = owns;
  }

  /**
   * Folds a NotificationSent read from its topic (written at {@code at}): an emergency's receipt is
   * followed; a resolved notification ends its group's receipts sent before it.
   */
  public void sent(NotificationSent e, Instant at) {
    if ("resolved".equals(e.getState())) {
      List<Outstanding> over = new ArrayList<>();
      synchronized (this) {
        byReceipt
            .values()
            .removeIf(
                o -> {
                  boolean of =
                      o.receiver().equals(e.getReceiver())
                          && o.groupKey().equals(e.getGroupKey())
                          && !o.sentAt().isAfter(at);
                  if (of) {
                    over.add(o);
                  }
                  return of;
                });
      }
      // the resolve's sender cancels what it had read; what this reader learns of only now (it
      // was behind) is cancelled by the group's owner, so nobody is paged for what is over
      for (Outstanding o : over) {
        if (owns.test(o.receiver(), o.groupKey())) {
          AckPoller.cancelQuietly(o, "its alerts resolved");
        }
      }
      finish(over, at);
      return;
    }
    if (e.getReceipt() == null) {
      return;
    }
    Optional<PushoverReceipts> receipts = receiptsOf(e.getReceiver(), e.getChannelId());
    if (receipts.isEmpty()) {
      LOG.warn(
          "receipt of a notification to {} not followed: {} has no such Pushover channel now",
          e.getReceiver(),
          e.getChannelId());
      return;
    }
    Map<String, Instant> firing = new LinkedHashMap<>();
    for (NotifiedAlert a : e.getFiringAlerts()) {
      firing.put(a.getFingerprint(), a.getStartsAt());
    }
    Outstanding covered = null;
    synchronized (this) {
      finished.values().removeIf(t -> t.isBefore(at.minus(FOLLOW_FOR)));
      ackedGroups.values().removeIf(t -> t.isBefore(at.minus(FOLLOW_FOR)));
      if (finished.containsKey(e.getReceipt())) {
        return;
      }
      Instant groupAcked = ackedGroups.get(group(e.getReceiver(), e.getGroupKey()));
      if (groupAcked != null && !at.isAfter(groupAcked)) {
        // sent before its group was acknowledged, learned of only now: over, as the others were
        covered =
            new Outstanding(
                e.getReceipt(),
                e.getReceiver(),
                e.getGroupKey(),
                e.getEnvelope().getEventId(),
                e.getChannel(),
                receipts.get(),
                e.getEnvelope().getCluster(),
                firing,
                at);
        finished.put(e.getReceipt(), groupAcked);
      }
    }
    if (covered != null) {
      if (owns.test(covered.receiver(), covered.groupKey())) {
        AckPoller.cancelQuietly(covered, "its group was acknowledged");
      }
      return;
    }
    synchronized (this) {
      if (finished.containsKey(e.getReceipt())) {
        return;
      }
      track(
          new Outstanding(
              e.getReceipt(),
              e.getReceiver(),
              e.getGroupKey(),
              e.getEnvelope().getEventId(),
              e.getChannel(),
              receipts.get(),
              e.getEnvelope().getCluster(),
              firing,
              at));
    }
  }

  /** Folds a NotificationAcknowledged: its receipt, those it cancelled and the group's older. */
  public synchronized void acknowledged(NotificationAcknowledged a) {
    ackedGroups.merge(
        group(a.getReceiver(), a.getGroupKey()),
        a.getAcknowledgedAt(),
        (x, y) -> x.isAfter(y) ? x : y);
    finished.put(a.getReceipt(), a.getAcknowledgedAt());
    a.getCancelledReceipts().forEach(r -> finished.put(r, a.getAcknowledgedAt()));
    byReceipt
        .values()
        .removeIf(
            o ->
                finished.containsKey(o.receipt())
                    || (o.receiver().equals(a.getReceiver())
                        && o.groupKey().equals(a.getGroupKey())
                        && !o.sentAt().isAfter(a.getAcknowledgedAt())));
  }

  /** Receipts that are over (acknowledged, cancelled): never followed again. */
  synchronized void finish(List<Outstanding> over, Instant at) {
    for (Outstanding o : over) {
      finished.put(o.receipt(), at);
      byReceipt.remove(o.receipt());
    }
  }

  private Optional<PushoverReceipts> receiptsOf(String receiver, String channelId) {
    ChannelDirectory channels = directory;
    if (channels == null) {
      return Optional.empty();
    }
    List<Channel> of = channels.channels(configs.get(), receiver);
    return of.stream()
        .filter(c -> channelId == null || c.id().equals(channelId))
        .map(PushoverReceipts::of)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private List<Channel> wrap(List<Channel> channels) {
    List<Channel> out = new ArrayList<>(channels.size());
    for (Channel c : channels) {
      out.add(PushoverReceipts.of(c).isPresent() ? new Tracked(c) : c);
    }
    return out;
  }

  /** What is waiting for an acknowledgement now, of the groups this replica owns. */
  public synchronized List<Outstanding> outstanding() {
    BiPredicate<String, String> mine = owns;
    return byReceipt.values().stream().filter(o -> mine.test(o.receiver(), o.groupKey())).toList();
  }

  /** Forgets the receipts of a group and returns them (to cancel). */
  public synchronized List<Outstanding> removeGroup(String receiver, String groupKey) {
    List<Outstanding> out = new ArrayList<>();
    byReceipt
        .values()
        .removeIf(
            o -> {
              boolean of = o.receiver().equals(receiver) && o.groupKey().equals(groupKey);
              if (of) {
                out.add(o);
              }
              return of;
            });
    return out;
  }

  synchronized void track(Outstanding o) {
    byReceipt.put(o.receipt(), o);
  }

  private static String group(String receiver, String groupKey) {
    return receiver + "\u0000" + groupKey;
  }

  /** The cluster the notification is about: its group's, or the one all its alerts share. */
  static String cluster(Notification n) {
    String group = n.groupLabels().get("cluster");
    if (group != null) {
      return group;
    }
    List<String> clusters =
        n.firing().stream().map(a -> a.labels().get("cluster")).distinct().toList();
    return clusters.size() == 1 ? clusters.get(0) : null;
  }

  private final class Tracked implements Channel {
    private final Channel channel;

    Tracked(Channel channel) {
      this.channel = channel;
    }

    @Override
    public String receiver() {
      return channel.receiver();
    }

    @Override
    public String id() {
      return channel.id();
    }

    @Override
    public io.stackpilot.events.Channel kind() {
      return channel.kind();
    }

    @Override
    public SendOutcome send(Notification n, String notificationId) {
      SendOutcome outcome = channel.send(n, notificationId);
      if (!outcome.delivered()) {
        return outcome;
      }
      if (n.firing().isEmpty()) {
        List<Outstanding> over = removeGroup(n.receiver(), n.groupKey());
        for (Outstanding o : over) {
          AckPoller.cancelQuietly(o, "its alerts resolved");
        }
        finish(over, n.at());
      }
      if (!n.firing().isEmpty() && outcome.receipt() != null) {
        // followed at once by the sender, which owns the group; its NotificationSent carries the
        // receipt for a replica that owns the group later (a restart, a rebalance)
        Map<String, Instant> firing = new LinkedHashMap<>();
        for (Alert a : n.firing()) {
          firing.put(a.fingerprint(), a.startsAt());
        }
        track(
            new Outstanding(
                outcome.receipt(),
                n.receiver(),
                n.groupKey(),
                notificationId,
                channel.kind(),
                PushoverReceipts.of(channel).orElseThrow(),
                cluster(n),
                firing,
                n.at()));
      }
      return outcome;
    }

    @Override
    public String toString() {
      return channel.toString();
    }
  }
}
