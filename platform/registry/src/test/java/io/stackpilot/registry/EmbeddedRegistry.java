package io.stackpilot.registry;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A KRaft broker in this JVM plus a registry started on it through the public embedding API. */
final class EmbeddedRegistry implements AutoCloseable {

  final EmbeddedKafkaKraftBroker broker;
  ConfigurableApplicationContext app;
  RegistryHttp http;

  private EmbeddedRegistry(EmbeddedKafkaKraftBroker broker) {
    this.broker = broker;
  }

  static EmbeddedRegistry start(String topic) {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.afterPropertiesSet();
    EmbeddedRegistry registry = new EmbeddedRegistry(broker);
    registry.startApp(topic);
    return registry;
  }

  void startApp(String topic) {
    app = RegistryApplication.start(broker.getBrokersAsString(), 0, topic);
    http = new RegistryHttp(url());
  }

  void stopApp() {
    if (app != null) {
      app.close();
      app = null;
    }
  }

  String url() {
    return RegistryApplication.url(app);
  }

  String bootstrapServers() {
    return broker.getBrokersAsString();
  }

  @Override
  public void close() {
    stopApp();
    broker.destroy();
  }
}
