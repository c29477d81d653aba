package io.stackpilot.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * The id of a notification: a hash of its receiver, channel, group, firing and resolved alerts and
 * its sequence number in the group's log. Any replica that decides the same notification from the
 * same log computes the same id; a repeat (next sequence) gets a new one.
 */
final class NotificationIds {
  private NotificationIds() {}

  static String of(
      String receiver,
      String channelId,
      String groupKey,
      Set<String> firing,
      Set<String> resolved,
      long seq) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {receiver, channelId, groupKey, Long.toString(seq)}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      for (Set<String> set : java.util.List.of(firing, resolved)) {
        for (String fingerprint : new TreeSet<>(set)) {
          sha.update(fingerprint.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 1);
        }
        sha.update((byte) 2);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
