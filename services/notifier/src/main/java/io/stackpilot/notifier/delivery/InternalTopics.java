package io.stackpilot.notifier.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Utils;

/**
 * The notifier's own compacted topics, co-partitioned (same count, same partition for a receiver
 * and group): routed alerts (the alert state of the groups, one record per route, group and alert)
 * and the notification log (one record per receiver, group and channel). Not catalog events: their
 * values are the notifier's state (JSON), like a Kafka Streams changelog.
 */
public final class InternalTopics {
  static final char SEP = '\u001f';

  private InternalTopics() {}

  /** The partition of every record about this receiver's group. */
  public static int partitionFor(String receiver, String groupKey, int partitions) {
    byte[] key = (receiver + SEP + groupKey).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  static String alertKey(SourcedAlert a) {
    return a.routePath() + SEP + a.receiver() + SEP + a.groupKey() + SEP + a.fingerprint();
  }

  static String logKey(String receiver, String groupKey, String channelId) {
    return receiver + SEP + groupKey + SEP + channelId;
  }

  /** Creates both topics (compacted) unless they exist. */
  public static void create(KafkaSettings settings, short replication) {
    int partitions = settings.internalPartitions();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String name : List.of(settings.routedTopic(), settings.logTopic())) {
        if (!existing.contains(name)) {
          missing.add(
              new NewTopic(name, partitions, replication)
                  .configs(
                      Map.of(
                          TopicConfig.CLEANUP_POLICY_CONFIG,
                          TopicConfig.CLEANUP_POLICY_COMPACT,
                          TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                          Integer.toString(4 * 1024 * 1024))));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create the notifier's topics", e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
