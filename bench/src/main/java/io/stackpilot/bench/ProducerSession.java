package io.stackpilot.bench;

import java.util.Map;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A rung session around a plain KafkaProducer: the rungs differ only in how record {@code i} is
 * built (pre-encoded bytes, encoded on the fly, or handed to a serializer).
 */
final class ProducerSession<K, V> implements Rung.Session {
  private final KafkaProducer<K, V> producer;
  private final Map<String, Object> config;
  private final IntFunction<ProducerRecord<K, V>> record;

  /** Creates the producer and sends the priming record, waiting for its ack. */
  ProducerSession(
      Map<String, Object> config, int priming, IntFunction<ProducerRecord<K, V>> record) {
    this.config = config;
    this.record = record;
    this.producer = new KafkaProducer<>(config);
    producer.send(record.apply(priming));
    producer.flush();
  }

  @Override
  public void sendAll(int count) {
    for (int i = 0; i < count; i++) {
      producer.send(record.apply(i));
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
}
