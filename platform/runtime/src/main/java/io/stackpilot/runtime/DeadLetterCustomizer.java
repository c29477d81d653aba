package io.stackpilot.runtime;

import io.stackpilot.runtime.metrics.ConsumedEvents;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.runtime.tracing.Tracing;
import io.stackpilot.runtime.tracing.TracingRecordInterceptor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.backoff.BackOff;

/**
 * Error handling of every Stackpilot consumer, in the listener container rather than the binding.
 *
 * <p>A record the deserializer could not decode (not the wire format, unknown schema id) never
 * reaches the binding, so only the container can dead-letter it: it goes to the service's
 * dead-letter topic at once with its original bytes. A record that decoded but failed in processing
 * is retried with the binder's back-off (unless its exception is marked not retryable in {@code
 * retryable-exceptions}) and then dead-lettered, re-encoded. Either way the cause is in the {@code
 * kafka_dlt-*} headers and the consumer goes on with the next record. Also installs the MDC
 * interceptor, so log lines carry the record's ids, and counts what is read and dead-lettered.
 */
class DeadLetterCustomizer implements ListenerContainerWithDlqAndRetryCustomizer {
  /** Header with the innermost cause of the failure, readable by any Kafka tool. */
  static final String REASON_HEADER = EventHeaders.DLQ_REASON;

  private final KafkaOperations<Object, Object> rawTemplate;
  private final KafkaOperations<Object, Object> avroTemplate;
  private final RecordInterceptor<Object, Object> mdc;
  private final StackpilotMetrics metrics;

  DeadLetterCustomizer(
      KafkaOperations<Object, Object> rawTemplate,
      KafkaOperations<Object, Object> avroTemplate,
      StackpilotMetrics metrics,
      Tracing tracing) {
    this.rawTemplate = rawTemplate;
    this.avroTemplate = avroTemplate;
    this.metrics = metrics;
    this.mdc =
        new CompositeRecordInterceptor<>(
            new MdcRecordInterceptor(), new TracingRecordInterceptor(tracing));
  }

  @Override
  public void configure(
      AbstractMessageListenerContainer<?, ?> container,
      String destinationName,
      String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
      BackOff backOff) {
    configure(container, destinationName, group, dlqDestinationResolver, backOff, null);
  }

  @Override
  public void configure(
      AbstractMessageListenerContainer<?, ?> container,
      String destinationName,
      String group,
      BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
      BackOff backOff,
      ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    AbstractMessageListenerContainer<Object, Object> typed =
        (AbstractMessageListenerContainer) container;
    typed.setRecordInterceptor(new CompositeRecordInterceptor<>(mdc, new ConsumedEvents(metrics)));
    if (dlqDestinationResolver == null) {
      return; // dead-lettering switched off for this binding
    }
    for (String topic : destinationName.split(",")) {
      metrics.deadLetterCounter(
          topic.trim()); // at zero from the start, so increase() sees the first
    }
    Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    templates.put(byte[].class, rawTemplate);
    templates.put(SpecificRecord.class, avroTemplate);
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(templates, dlqDestinationResolver);
    recoverer.setHeadersFunction(
        (record, error) ->
            new RecordHeaders(
                new Header[] {
                  new RecordHeader(REASON_HEADER, reason(error).getBytes(StandardCharsets.UTF_8))
                }));
    // consumer-aware, as the recoverer itself: it needs the consumer to check that the
    // dead-letter topic has the record's partition (else it lets the producer choose one)
    ConsumerAwareRecordRecoverer counted =
        (record, consumer, error) -> {
          recoverer.accept(record, consumer, error);
          metrics.deadLettered(record.topic());
        };
    DefaultErrorHandler handler = new DefaultErrorHandler(counted, backOff);
    if (properties != null) {
      properties
          .getRetryableExceptions()
          .forEach(
              (type, retryable) -> {
                if (Boolean.FALSE.equals(retryable)) {
                  handler.addNotRetryableExceptions(asException(type));
                }
              });
    }
    typed.setCommonErrorHandler(handler);
  }

  /**
   * The innermost cause, which says what was wrong with the record ("Unknown magic byte 0x74",
   * "schema id 987654 not found"), where the standard header has only the outermost wrapper.
   */
  static String reason(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Retries and dead-lettering happen in the container (above), not in the binding. */
  @Override
  public boolean retryAndDlqInBinding(String destinationName, String group) {
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Exception> asException(Class<? extends Throwable> type) {
    return (Class<? extends Exception>) type;
  }
}
