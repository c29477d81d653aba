package io.stackpilot.testing;

import io.stackpilot.registry.RegistryApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The Confluent-compatible registry a test JVM shares, stored on the shared broker. */
public final class SchemaRegistry {
  static final String TOPIC = "_schemas";
  private static SchemaRegistry shared;

  private final ConfigurableApplicationContext context;
  private final String url;

  private SchemaRegistry(ConfigurableApplicationContext context) {
    this.context = context;
    this.url = RegistryApplication.url(context);
  }

  /** Started on first use, on port 0, against {@link KafkaBrokers#shared()}. */
  public static synchronized SchemaRegistry shared() {
    if (shared == null) {
      KafkaBroker broker = KafkaBrokers.shared();
      shared = new SchemaRegistry(RegistryApplication.start(broker.bootstrapServers(), 0, TOPIC));
      Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close, "registry-stop"));
    }
    return shared;
  }

  public String url() {
    return url;
  }
}
