package io.stackpilot.bench;

import io.micrometer.observation.ObservationRegistry;
import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.EventPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What services do: {@link EventPublisher#publish} through StreamBridge and the Kafka binder with
 * native encoding (StringSerializer keys, ConfluentAvroSerializer values), the producer settings
 * passed as binder producer-properties. A fresh application context per pass, so the binding's
 * destination can be the pass's fresh topic; starting it is not timed.
 */
final class StreamBindingRung implements Rung {
  /** EventPublisher sends to the binding named after the catalog topic; we re-point it. */
  static final String BINDING = Topic.STEP_APPLIED.topicName();

  private final String bootstrapServers;
  private final String registryUrl;
  private final SampleEvents samples;

  StreamBindingRung(String bootstrapServers, String registryUrl, SampleEvents samples) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.samples = samples;
  }

  @Override
  public String label() {
    return "+ spring cloud stream";
  }

  @Override
  public Session open(String topic, String clientId) {
    ProducerCapture capture = new ProducerCapture();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(BindingApp.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .initializers(c -> c.getBeanFactory().registerSingleton("producerCapture", capture))
            // As arguments: defaultProperties would rank below the runtime's defaults.
            .run(arguments(topic));
    try {
      EventPublisher publisher = context.getBean(EventPublisher.class);
      publisher.publish(samples.event(samples.priming()));
      Producer<?, ?> producer = capture.producer();
      producer.flush();
      return new BindingSession(context, publisher, producer, capture.config());
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  private String[] arguments(String topic) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.application.name", "stackpilot-bench");
    properties.put("stackpilot.kafka.bootstrap-servers", bootstrapServers);
    properties.put("stackpilot.registry.url", registryUrl);
    properties.put("spring.cloud.stream.bindings[" + BINDING + "].destination", topic);
    // The bench creates its topics; nothing else should be created on the broker.
    properties.put("spring.cloud.stream.kafka.binder.auto-create-topics", "false");
    properties.put("spring.kafka.admin.auto-create", "false");
    ProducerSettings.COMMON.forEach(
        (key, value) ->
            properties.put("spring.cloud.stream.kafka.binder.producer-properties." + key, value));
    // One INFO line per event would measure the console, not the binding.
    properties.put("logging.level.io.stackpilot.runtime.EventPublisher", "WARN");
    return properties.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  private final class BindingSession implements Session {
    private final ConfigurableApplicationContext context;
    private final EventPublisher publisher;
    private final Producer<?, ?> producer;
    private final Map<String, Object> config;

    BindingSession(
        ConfigurableApplicationContext context,
        EventPublisher publisher,
        Producer<?, ?> producer,
        Map<String, Object> config) {
      this.context = context;
      this.publisher = publisher;
      this.producer = producer;
      this.config = config;
    }

    @Override
    public void sendAll(int count) {
      for (int i = 0; i < count; i++) {
        publisher.publish(samples.event(i));
      }
    }

    @Override
    public void flush() {
      producer.flush();
    }

    @Override
    public Producer<?, ?> producer() {
      return producer;
    }

    @Override
    public Map<String, Object> producerConfig() {
      return config;
    }

    @Override
    public String notes() {
      ObservationRegistry registry =
          context.getBeanProvider(ObservationRegistry.class).getIfAvailable();
      return registry == null || registry.isNoop()
          ? "no Micrometer ObservationRegistry in the context: messages are not observed"
          : "a Micrometer ObservationRegistry is active (Actuator is on the classpath, as in the"
              + " services): Spring Integration and Spring Cloud Function observe every message";
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
