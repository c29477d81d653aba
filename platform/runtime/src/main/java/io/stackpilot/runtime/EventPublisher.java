package io.stackpilot.runtime;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Writes events to their catalog topic, keyed as the catalog says, with the envelope's ids as
 * headers. The one way services produce, so topic, key and headers cannot drift apart.
 */
public class EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final StreamBridge streamBridge;

  public EventPublisher(StreamBridge streamBridge) {
    this.streamBridge = streamBridge;
  }

  /** Sends the event; throws when the binder refuses it, so the caller's record is retried. */
  public void publish(SpecificRecord event) {
    Topic topic = topicOf(event);
    Message<SpecificRecord> message = message(topic, event);
    if (!streamBridge.send(topic.topicName(), message)) {
      throw new IllegalStateException("binder refused " + describe(event) + " for " + topic);
    }
    LOG.info("published {} to {}", describe(event), topic.topicName());
  }

  /** The message the event is sent as: key and headers set, for Function beans to return. */
  public static Message<SpecificRecord> message(Topic topic, SpecificRecord event) {
    EventEnvelope envelope = Topic.envelopeOf(event);
    return MessageBuilder.withPayload(event)
        .copyHeaders(EventHeaders.of(envelope, event.getSchema().getName()))
        .setHeader(KafkaHeaders.KEY, topic.keyOf(event))
        .build();
  }

  public static Topic topicOf(SpecificRecord event) {
    return Topic.byValueType(event.getClass())
        .orElseThrow(
            () -> new IllegalArgumentException("no catalog topic for " + event.getClass()));
  }

  static String describe(SpecificRecord event) {
    EventEnvelope envelope = Topic.envelopeOf(event);
    return event.getSchema().getName() + "[" + envelope.getEventId() + "]";
  }
}
