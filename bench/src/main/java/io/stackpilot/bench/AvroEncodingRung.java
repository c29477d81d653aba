package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Raw bytes plus Avro encoding of every value on the sending thread, no registry involved. */
final class AvroEncodingRung implements Rung {
  private final String bootstrapServers;
  private final SampleEvents samples;

  AvroEncodingRung(String bootstrapServers, SampleEvents samples) {
    this.bootstrapServers = bootstrapServers;
    this.samples = samples;
  }

  @Override
  public String label() {
    return "+ avro encoding";
  }

  @Override
  public Session open(String topic, String clientId) {
    Map<String, Object> config =
        ProducerSettings.forClient(
            bootstrapServers, clientId, ByteArraySerializer.class, ByteArraySerializer.class);
    FramedAvroEncoder encoder = new FramedAvroEncoder();
    return new ProducerSession<byte[], byte[]>(
        config,
        samples.priming(),
        i -> new ProducerRecord<>(topic, samples.keyBytes(i), encoder.encode(samples.event(i))));
  }
}
