package io.stackpilot.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.stream.config.ProducerMessageHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.kafka.outbound.KafkaProducerMessageHandler;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.LoggingProducerListener;

/**
 * The service's {@link StackpilotMetrics} on the context's own registry (Prometheus, from the
 * actuator) and the producing side of the event counters on every binding. The binder's own
 * consumers and producers get their Kafka client metrics ({@code kafka_consumer_*}) from the binder
 * itself.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
public class StackpilotMetricsAutoConfiguration {

  @Bean
  StackpilotMetrics stackpilotMetrics(ObjectProvider<MeterRegistry> registry) {
    MeterRegistry meters = registry.getIfUnique();
    return meters == null ? StackpilotMetrics.NONE : new StackpilotMetrics(meters);
  }

  /** Counts each event a binding's producer wrote, once the broker acknowledged it. */
  @Bean
  ProducerMessageHandlerCustomizer<KafkaProducerMessageHandler<?, ?>> stackpilotPublishedEvents(
      StackpilotMetrics metrics) {
    return (handler, destination) -> {
      @SuppressWarnings("unchecked")
      KafkaTemplate<Object, Object> template =
          (KafkaTemplate<Object, Object>) handler.getKafkaTemplate();
      template.setProducerListener(new PublishedEvents(metrics, new LoggingProducerListener<>()));
    };
  }
}
