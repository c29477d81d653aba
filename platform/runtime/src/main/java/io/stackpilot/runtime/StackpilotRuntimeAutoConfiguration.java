package io.stackpilot.runtime;

import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.runtime.tracing.Tracing;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the shared plumbing into every service: envelopes, publishing, MDC, topics. */
@AutoConfiguration
public class StackpilotRuntimeAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  Envelopes envelopes(@Value("${spring.application.name}") String service, Clock clock) {
    return new Envelopes(service, clock);
  }

  @Bean
  EventPublisher eventPublisher(StreamBridge streamBridge) {
    return new EventPublisher(streamBridge);
  }

  /** Dead-lettering and MDC for every consumer; see {@link DeadLetterCustomizer}. */
  @Bean
  ListenerContainerWithDlqAndRetryCustomizer deadLetterCustomizer(
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrap,
      @Value("${stackpilot.registry.url}") String registryUrl,
      ObjectProvider<StackpilotMetrics> metrics,
      Tracing tracing) {
    Map<String, Object> producer = new HashMap<>();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    KafkaTemplate<Object, Object> raw =
        new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer));
    Map<String, Object> avro = new HashMap<>(producer);
    avro.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class);
    avro.put("schema.registry.url", registryUrl);
    KafkaTemplate<Object, Object> encoded =
        new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(avro));
    return new DeadLetterCustomizer(
        raw, encoded, metrics.getIfAvailable(() -> StackpilotMetrics.NONE), tracing);
  }

  /**
   * Creates the catalog's topics and this service's dead-letter topic with the catalog's partitions
   * and retention before any binding starts, so no topic is auto-created with defaults.
   */
  @Bean
  KafkaAdmin.NewTopics stackpilotTopics(
      @Value("${spring.application.name}") String service,
      @Value("${stackpilot.kafka.replication-factor:1}") short replicationFactor) {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(
          TopicBuilder.name(topic.topicName())
              .partitions(topic.partitions())
              .replicas(replicationFactor)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy(),
                      TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().millis()),
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                          Integer.toString(topic.maxMessageBytes())))
              .build());
    }
    topics.add(
        TopicBuilder.name(Topic.deadLetterTopic(service))
            .partitions(1)
            .replicas(replicationFactor)
            .config(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(Topic.DEAD_LETTER_RETENTION_MILLIS))
            .build());
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }
}
