package io.stackpilot.bench;

import io.stackpilot.serde.ConfluentAvroSerializer;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain KafkaProducer with String keys and {@link ConfluentAvroSerializer} values: the schema is
 * registered with the registry on the priming record and served from the serializer's cache after.
 */
final class RegistrySerdeRung implements Rung {
  private final String bootstrapServers;
  private final String registryUrl;
  private final SampleEvents samples;

  RegistrySerdeRung(String bootstrapServers, String registryUrl, SampleEvents samples) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.samples = samples;
  }

  @Override
  public String label() {
    return "+ registry serde";
  }

  @Override
  public Session open(String topic, String clientId) {
    Map<String, Object> config =
        ProducerSettings.forClient(
            bootstrapServers, clientId, StringSerializer.class, ConfluentAvroSerializer.class);
    config.put(ConfluentAvroSerializer.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
    return new ProducerSession<String, Object>(
        config,
        samples.priming(),
        i -> new ProducerRecord<>(topic, samples.key(i), samples.event(i)));
  }
}
