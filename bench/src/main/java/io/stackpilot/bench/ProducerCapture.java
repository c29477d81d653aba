package io.stackpilot.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.cloud.stream.binder.kafka.config.ClientFactoryCustomizer;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Lets the bench see inside the Kafka binder: the configuration of the producer factory the binder
 * built for the binding, and the KafkaProducer it created (for flush, metrics and its thread).
 */
final class ProducerCapture implements ClientFactoryCustomizer {
  private final AtomicReference<Map<String, Object>> config = new AtomicReference<>();
  private final AtomicReference<Producer<?, ?>> producer = new AtomicReference<>();

  @Override
  public void configure(ProducerFactory<?, ?> factory) {
    config.set(new LinkedHashMap<>(factory.getConfigurationProperties()));
    listen(factory);
  }

  private <K, V> void listen(ProducerFactory<K, V> factory) {
    factory.addListener(
        new ProducerFactory.Listener<K, V>() {
          @Override
          public void producerAdded(String id, Producer<K, V> added) {
            // The binder may create a short-lived producer to read partitions; the last one wins.
            producer.set(added);
          }
        });
  }

  Map<String, Object> config() {
    Map<String, Object> captured = config.get();
    if (captured == null) {
      throw new IllegalStateException("the Kafka binder built no producer factory");
    }
    return captured;
  }

  Producer<?, ?> producer() {
    Producer<?, ?> captured = producer.get();
    if (captured == null) {
      throw new IllegalStateException("the Kafka binder created no producer");
    }
    return captured;
  }
}
