package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The baseline: pre-encoded key and value bytes handed straight to a KafkaProducer. */
final class RawBytesRung implements Rung {
  private final String bootstrapServers;
  private final SampleEvents samples;

  RawBytesRung(String bootstrapServers, SampleEvents samples) {
    this.bootstrapServers = bootstrapServers;
    this.samples = samples;
  }

  @Override
  public String label() {
    return "raw bytes";
  }

  @Override
  public Session open(String topic, String clientId) {
    Map<String, Object> config =
        ProducerSettings.forClient(
            bootstrapServers, clientId, ByteArraySerializer.class, ByteArraySerializer.class);
    return new ProducerSession<byte[], byte[]>(
        config,
        samples.priming(),
        i -> new ProducerRecord<>(topic, samples.keyBytes(i), samples.encoded(i)));
  }
}
