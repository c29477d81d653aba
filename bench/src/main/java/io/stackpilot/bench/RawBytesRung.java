package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
    int priming = samples.priming();
    producer.send(new ProducerRecord<>(topic, samples.keyBytes(priming), samples.encoded(priming)));
    producer.flush();
    return new Session() {
      @Override
      public void sendAll(int count) {
        for (int i = 0; i < count; i++) {
          producer.send(new ProducerRecord<>(topic, samples.keyBytes(i), samples.encoded(i)));
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
      public void close() {
        producer.close();
      }
    };
  }
}
