package io.stackpilot.registry;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code stackpilot.registry}: where the store topic lives and how long to wait.
 *
 * @param bootstrapServers Kafka bootstrap servers (required)
 * @param topic the compacted store topic
 * @param replicationFactor used only when the registry creates the topic
 * @param initTimeout how long start-up may take to read the topic to its end
 * @param writeTimeout how long a write may take until the registry has read it back
 * @param kafka extra Kafka client properties (security settings, for instance)
 */
@ConfigurationProperties("stackpilot.registry")
public record RegistryProperties(
    String bootstrapServers,
    @DefaultValue("_schemas") String topic,
    @DefaultValue("1") short replicationFactor,
    @DefaultValue("60s") Duration initTimeout,
    @DefaultValue("30s") Duration writeTimeout,
    Map<String, String> kafka) {

  public RegistryProperties {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "stackpilot.registry.bootstrap-servers is required: the Kafka cluster that stores schemas");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("stackpilot.registry.topic must not be empty");
    }
    kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
  }
}
