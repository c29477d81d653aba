package io.stackpilot.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real single-node KRaft broker as an OS process, from the Maven Central jars whose classpath
 * local/broker writes at build time. Data stays under .local/kafka (git-ignored).
 */
final class LocalKafka {
  private final Path home;
  private final String classpath;
  private final int port;
  private final int controllerPort;

  LocalKafka(Path stateDir, Path classpathFile, int port) throws IOException {
    this.home = stateDir.resolve("kafka");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: build first (./mvnw -DskipTests install)");
    }
    this.classpath = Files.readString(classpathFile).trim();
    this.port = port;
    this.controllerPort = port + 1;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Writes the configuration and formats the storage on first use (kept across runs). */
  void prepare(Supervisor supervisor) throws IOException, InterruptedException {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Files.writeString(home.resolve("server.properties"), serverProperties(data));
    Files.writeString(
        home.resolve("log4j.properties"),
        """
        log4j.rootLogger=WARN, stdout
        log4j.appender.stdout=org.apache.log4j.ConsoleAppender
        log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
        log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
        log4j.logger.kafka.server.KafkaServer=INFO
        log4j.logger.kafka.server.BrokerServer=INFO
        """);
    if (Files.exists(data.resolve("meta.properties"))) {
      return;
    }
    Supervisor.Started format =
        supervisor.start(
            "kafka-format",
            java(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "-c",
                home.resolve("server.properties").toString()));
    if (format.process().waitFor() != 0) {
      throw new IllegalStateException("formatting Kafka storage failed; see " + format.log());
    }
  }

  List<String> command() {
    return java("kafka.Kafka", home.resolve("server.properties").toString());
  }

  private List<String> java(String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Dlog4j.configuration=file:" + home.resolve("log4j.properties"));
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private String serverProperties(Path data) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=3",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "");
  }
}
