package io.stackpilot.testing;

import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A 3-node in-JVM KRaft cluster laid out as production is (deploy/strimzi): every catalog topic at
 * replication factor 3 with {@code min.insync.replicas=2}, and the offsets and transaction logs
 * likewise, so it survives the loss of one broker. {@link #kill} stops one broker without a
 * controlled shutdown: its partitions keep it as leader until the controller fences it (its
 * heartbeats stop), as after a crash, not a drain.
 *
 * <p>Nodes are combined (broker and KRaft controller, spring-kafka-test's layout); a kill stops the
 * broker role only, so the controller quorum stays whole. Not shared: a test that kills a broker
 * owns its cluster.
 */
public final class KafkaCluster implements KafkaBroker, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

  /** The registry's store topic on this cluster (as {@link SchemaRegistry} uses on the shared). */
  public static final String SCHEMAS_TOPIC = "_schemas";

  public static final int NODES = 3;
  public static final short REPLICATION_FACTOR = 3;
  public static final int MIN_IN_SYNC_REPLICAS = 2;

  private final EmbeddedKafkaKraftBroker kafka;
  private final String bootstrapServers;

  private KafkaCluster(EmbeddedKafkaKraftBroker kafka) {
    this.kafka = kafka;
    this.bootstrapServers = kafka.getBrokersAsString();
  }

  /** Starts the three nodes and creates the catalog's topics (and {@value #SCHEMAS_TOPIC}). */
  public static KafkaCluster start() {
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(NODES, 1);
    Map<String, String> props = new HashMap<>();
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("default.replication.factor", Short.toString(REPLICATION_FACTOR));
    props.put("min.insync.replicas", Integer.toString(MIN_IN_SYNC_REPLICAS));
    props.put("offsets.topic.replication.factor", Short.toString(REPLICATION_FACTOR));
    props.put("transaction.state.log.replication.factor", Short.toString(REPLICATION_FACTOR));
    props.put("transaction.state.log.min.isr", Integer.toString(MIN_IN_SYNC_REPLICAS));
    // a kill is a crash, not a drain: leadership moves only once the controller fences the broker
    props.put("controlled.shutdown.enable", "false");
    // fenced after 6 s without a heartbeat (default 9 s), to keep the test short
    props.put("broker.session.timeout.ms", "6000");
    props.put("broker.heartbeat.interval.ms", "1000");
    kafka.brokerProperties(props);
    kafka.afterPropertiesSet();
    KafkaCluster cluster = new KafkaCluster(kafka);
    cluster.createTopics();
    LOG.info(
        "{}-node KRaft cluster at {} ({} controllers)",
        NODES,
        cluster.bootstrapServers,
        kafka.getCluster().controllers().size());
    return cluster;
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public String kind() {
    return "in-jvm-kraft-" + NODES + "-nodes";
  }

  /** The broker ids that are still running. */
  public List<Integer> runningBrokers() {
    List<Integer> ids = new ArrayList<>();
    kafka
        .getCluster()
        .brokers()
        .forEach(
            (id, broker) -> {
              if (!broker.isShutdown()) {
                ids.add(id);
              }
            });
    return ids;
  }

  /** Partition leaders of a topic as the cluster's metadata has them now (-1: none). */
  public Map<Integer, Integer> leaders(String topic) {
    TopicDescription description = describe(topic);
    Map<Integer, Integer> leaders = new HashMap<>();
    for (TopicPartitionInfo p : description.partitions()) {
      Node leader = p.leader();
      leaders.put(p.partition(), leader == null ? -1 : leader.id());
    }
    return leaders;
  }

  /** In-sync replicas per partition of a topic. */
  public Map<Integer, List<Integer>> inSyncReplicas(String topic) {
    Map<Integer, List<Integer>> isr = new HashMap<>();
    for (TopicPartitionInfo p : describe(topic).partitions()) {
      isr.put(p.partition(), p.isr().stream().map(Node::id).toList());
    }
    return isr;
  }

  /** The running broker that leads the most partitions of a topic: the costliest one to lose. */
  public int leaderOfMostPartitions(String topic) {
    Map<Integer, Long> counts = new HashMap<>();
    leaders(topic).values().forEach(id -> counts.merge(id, 1L, Long::sum));
    return runningBrokers().stream()
        .max(Comparator.comparing((Integer id) -> counts.getOrDefault(id, 0L)))
        .orElseThrow();
  }

  /**
   * Stops a broker abruptly (no controlled shutdown) and returns once the controller has moved
   * leadership of every catalog topic's partitions away from it.
   */
  public void kill(int brokerId) {
    BrokerServer broker = kafka.getCluster().brokers().get(brokerId);
    if (broker == null) {
      throw new IllegalArgumentException("no broker " + brokerId);
    }
    LOG.warn("killing broker {}", brokerId);
    broker.shutdown();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Topic topic : Topic.values()) {
                if (leaders(topic.topicName()).containsValue(brokerId)) {
                  throw new AssertionError(topic.topicName() + " still led by " + brokerId);
                }
              }
            });
    LOG.warn("broker {} is down and fenced; leaders moved", brokerId);
  }

  private TopicDescription describe(String topic) {
    return admin(a -> a.describeTopics(List.of(topic)).allTopicNames()).get(topic);
  }

  private void createTopics() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(
          new NewTopic(topic.topicName(), topic.partitions(), REPLICATION_FACTOR)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy(),
                      TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().millis()),
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                          Integer.toString(topic.maxMessageBytes()),
                      TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                          Integer.toString(MIN_IN_SYNC_REPLICAS))));
    }
    topics.add(
        new NewTopic(SCHEMAS_TOPIC, 1, REPLICATION_FACTOR)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    Integer.toString(MIN_IN_SYNC_REPLICAS))));
    admin(a -> a.createTopics(topics).all());
  }

  private <T> T admin(Function<Admin, org.apache.kafka.common.KafkaFuture<T>> call) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return call.apply(admin).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    kafka.destroy();
  }
}
