package io.stackpilot.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the one broker a test JVM shares: an external one when {@code
 * STACKPILOT_TEST_KAFKA_BOOTSTRAP_SERVERS} names it, Testcontainers Kafka when a Docker engine
 * answers, an in-JVM KRaft broker otherwise. {@code
 * -Dstackpilot.test.kafka=embedded|testcontainers} forces a choice.
 */
public final class KafkaBrokers {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);
  static final String KAFKA_IMAGE = "apache/kafka:3.9.1";

  private static KafkaBroker shared;

  private KafkaBrokers() {}

  /** The JVM-wide broker, started on first use and stopped when the JVM exits. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      shared = start();
      LOG.info("test broker ({}) at {}", shared.kind(), shared.bootstrapServers());
    }
    return shared;
  }

  /** A new, unshared in-JVM broker; for tests that stop or restart brokers. */
  public static StoppableBroker startEmbedded() {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
    broker.brokerProperty("auto.create.topics.enable", "false");
    // one broker: the transaction log must fit on it, or transactional producers never start
    broker.brokerProperty("transaction.state.log.replication.factor", "1");
    broker.brokerProperty("transaction.state.log.min.isr", "1");
    broker.afterPropertiesSet();
    return new StoppableBroker(broker.getBrokersAsString(), "in-jvm-kraft", broker::destroy);
  }

  private static KafkaBroker start() {
    String external = System.getenv("STACKPILOT_TEST_KAFKA_BOOTSTRAP_SERVERS");
    if (external != null && !external.isBlank()) {
      return new StoppableBroker(external, "external", () -> {});
    }
    String choice = System.getProperty("stackpilot.test.kafka", "auto");
    boolean docker = !"embedded".equals(choice) && dockerAnswers();
    if ("testcontainers".equals(choice) && !docker) {
      throw new IllegalStateException(
          "-Dstackpilot.test.kafka=testcontainers but no Docker engine answers");
    }
    StoppableBroker broker = docker ? startContainer() : startEmbedded();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "test-broker-stop"));
    return broker;
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static StoppableBroker startContainer() {
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    container.start();
    return new StoppableBroker(container.getBootstrapServers(), "testcontainers", container::stop);
  }

  /** A broker this code started and can stop. */
  public record StoppableBroker(String bootstrapServers, String kind, Runnable stopAction)
      implements KafkaBroker {
    public void stop() {
      stopAction.run();
    }
  }
}
