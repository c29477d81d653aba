package io.stackpilot.notifier.ack;

import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.PushoverReceipts;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.delivery.ChannelDirectory;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the receipts of emergency notifications as channels hand them back: a {@link
 * ChannelDirectory} whose channels report each delivered send with a receipt here. A notification
 * of a group whose alerts all resolved cancels the group's outstanding receipts (nobody should be
 * paged again for what is over). The {@link AckPoller} follows what is outstanding.
 */
public final class ReceiptTracker {

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

  private final Map<String, Outstanding> byReceipt = new LinkedHashMap<>();

  /** The directory whose channels report their receipts to this tracker. */
  public ChannelDirectory tracking(ChannelDirectory directory) {
    return (config, receiver) -> wrap(directory.channels(config, receiver));
  }

  private List<Channel> wrap(List<Channel> channels) {
    List<Channel> out = new ArrayList<>(channels.size());
    for (Channel c : channels) {
      out.add(PushoverReceipts.of(c).isPresent() ? new Tracked(c) : c);
    }
    return out;
  }

  /** What is waiting for an acknowledgement now. */
  public synchronized List<Outstanding> outstanding() {
    return List.copyOf(byReceipt.values());
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

  public synchronized void remove(String receipt) {
    byReceipt.remove(receipt);
  }

  synchronized void track(Outstanding o) {
    byReceipt.put(o.receipt(), o);
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
        for (Outstanding o : removeGroup(n.receiver(), n.groupKey())) {
          AckPoller.cancelQuietly(o, "its alerts resolved");
        }
      } else if (outcome.receipt() != null) {
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
