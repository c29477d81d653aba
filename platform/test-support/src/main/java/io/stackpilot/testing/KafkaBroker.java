package io.stackpilot.testing;

/** A real Kafka broker that tests talk to over the network. */
public interface KafkaBroker {
  String bootstrapServers();

  /** How the broker was obtained: testcontainers, in-jvm-kraft or external. */
  String kind();
}
