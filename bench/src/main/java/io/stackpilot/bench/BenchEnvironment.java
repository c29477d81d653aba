package io.stackpilot.bench;

import io.stackpilot.registry.RegistryApplication;
import io.stackpilot.testing.KafkaBrokers;
import io.stackpilot.testing.KafkaBrokers.StoppableBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.ConfigurableApplicationContext;

/** The broker and registry a benchmark runs against: embedded in this JVM unless given. */
final class BenchEnvironment implements AutoCloseable {
  /** The embedded registry's store topic; not {@code _schemas}, to stay clear of a real one. */
  static final String REGISTRY_TOPIC = "_stackpilot-bench-schemas";

  private final StoppableBroker broker;
  private final String bootstrapServers;
  private final String brokerKind;
  private final ConfigurableApplicationContext registry;
  private final String registryUrl;
  private final String registryKind;
  private final Admin admin;

  private BenchEnvironment(
      StoppableBroker broker,
      String bootstrapServers,
      String brokerKind,
      ConfigurableApplicationContext registry,
      String registryUrl,
      String registryKind) {
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.brokerKind = brokerKind;
    this.registry = registry;
    this.registryUrl = registryUrl;
    this.registryKind = registryKind;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Starts what is not given: an in-JVM KRaft broker, the Stackpilot registry on a free port. */
  static BenchEnvironment start(String externalBootstrap, String externalRegistry) {
    StoppableBroker broker = null;
    String bootstrap = externalBootstrap;
    String brokerKind = "external broker (--bootstrap); its CPU is not on this machine's clock";
    if (bootstrap == null) {
      broker = KafkaBrokers.startEmbedded();
      bootstrap = broker.bootstrapServers();
      brokerKind =
          "in-JVM KRaft broker (spring-kafka-test EmbeddedKafkaKraftBroker, 1 node) in this same"
              + " process: it competes with the client for the cores; its CPU is excluded from"
              + " cpu-us/rec (only client threads are measured) and included in proc-us";
    }
    ConfigurableApplicationContext registry = null;
    String registryUrl = externalRegistry;
    String registryKind = "external registry (--registry)";
    try {
      if (registryUrl == null) {
        registry = RegistryApplication.start(bootstrap, 0, REGISTRY_TOPIC);
        registryUrl = RegistryApplication.url(registry);
        registryKind =
            "Stackpilot registry (Confluent REST API) in this process, stored on topic "
                + REGISTRY_TOPIC;
      }
      return new BenchEnvironment(
          broker, bootstrap, brokerKind, registry, registryUrl, registryKind);
    } catch (RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      if (broker != null) {
        broker.stop();
      }
      throw e;
    }
  }

  void createTopics(List<String> names, int partitions, short replicationFactor)
      throws InterruptedException, ExecutionException, TimeoutException {
    createTopics(
        names.stream().map(name -> new NewTopic(name, partitions, replicationFactor)).toList());
  }

  /** Creates the topics (with any configs they carry) and waits until every leader answers. */
  void createTopics(List<NewTopic> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    awaitLeaders(topics);
  }

  /**
   * Waits until every partition's leader answers a ListOffsets request: a fresh topic's first
   * produce otherwise meets NOT_LEADER_OR_FOLLOWER and retries, inside the timed window.
   */
  private void awaitLeaders(List<NewTopic> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (NewTopic topic : topics) {
      for (int p = 0; p < topic.numPartitions(); p++) {
        request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        admin.listOffsets(request).all().get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Something to check while waiting, e.g. that a child process still runs. */
  @FunctionalInterface
  interface Check {
    void check() throws Exception;
  }

  /**
   * Waits until the consumer group is stable and its members hold every partition of the topic: a
   * consumer in another process has joined and can take records.
   */
  void awaitAssigned(String group, String topic, int partitions, Duration timeout, Check meanwhile)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      meanwhile.check();
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
      long assigned =
          description.members().stream()
              .flatMap(m -> m.assignment().topicPartitions().stream())
              .filter(tp -> tp.topic().equals(topic))
              .count();
      if (description.state() == ConsumerGroupState.STABLE && assigned == partitions) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "consumer group "
                + group
                + " is "
                + description.state()
                + " with "
                + assigned
                + " of "
                + partitions
                + " partitions of "
                + topic
                + " after "
                + timeout);
      }
      Thread.sleep(250);
    }
  }

  /** Removes the bench's topics from a broker that outlives the run. */
  void deleteTopicsIfExternal(List<String> names) {
    if (broker != null) {
      return;
    }
    try {
      admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      System.out.println("note: could not delete the bench topics: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String brokerKind() {
    return brokerKind;
  }

  String registryUrl() {
    return registryUrl;
  }

  String registryKind() {
    return registryKind;
  }

  @Override
  public void close() {
    admin.close();
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.stop();
    }
  }
}
