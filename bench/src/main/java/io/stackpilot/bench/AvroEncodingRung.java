package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
    FramedAvroEncoder encoder = new FramedAvroEncoder();
    int priming = samples.priming();
    producer.send(
        new ProducerRecord<>(
            topic, samples.keyBytes(priming), encoder.encode(samples.event(priming))));
    producer.flush();
    return new Session() {
      @Override
      public void sendAll(int count) {
        for (int i = 0; i < count; i++) {
          byte[] value = encoder.encode(samples.event(i));
          producer.send(new ProducerRecord<>(topic, samples.keyBytes(i), value));
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
