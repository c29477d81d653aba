package io.stackpilot.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.Channel;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The notifier's Kafka side: each verdict is delivered to the webhook receiver and recorded. */
@Configuration
class NotifierFunctions {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierFunctions.class);

  @Bean
  Consumer<Message<ComponentVerified>> notifyVerdict(
      @Value("${stackpilot.notifier.webhook.url}") URI url,
      @Value("${stackpilot.notifier.webhook.receiver:webhook}") String receiver,
      @Value("${stackpilot.notifier.webhook.max-attempts:3}") int maxAttempts,
      ObjectMapper json,
      Envelopes envelopes,
      EventPublisher publisher) {
    WebhookSender sender =
        new WebhookSender(json, maxAttempts, Duration.ofMillis(200), Duration.ofSeconds(5));
    return message -> {
      ComponentVerified verdict = message.getPayload();
      Map<String, Object> payload = WebhookPayloads.forVerdict(receiver, verdict);
      WebhookSender.Outcome outcome = sender.send(url, payload);
      String groupKey = (String) payload.get("groupKey");
      String state = (String) payload.get("status");
      List<String> subjects = List.of(verdict.getEnvelope().getEventId());
      if (outcome.delivered()) {
        publisher.publish(
            NotificationSent.newBuilder()
                .setEnvelope(envelopes.causedBy(verdict.getEnvelope()))
                .setReceiver(receiver)
                .setChannel(Channel.WEBHOOK)
                .setGroupKey(groupKey)
                .setState(state)
                .setAttempt(outcome.attempts())
                .setSubjectEventIds(subjects)
                .setResponseStatus(outcome.status())
                .build());
      } else {
        LOG.warn(
            "notification to {} failed after {} attempts: {}",
            receiver,
            outcome.attempts(),
            outcome.error());
        publisher.publish(
            NotificationFailed.newBuilder()
                .setEnvelope(envelopes.causedBy(verdict.getEnvelope()))
                .setReceiver(receiver)
                .setChannel(Channel.WEBHOOK)
                .setGroupKey(groupKey)
                .setState(state)
                .setAttempt(outcome.attempts())
                .setSubjectEventIds(subjects)
                .setReason(outcome.error())
                .setRetriable(outcome.retriable())
                .build());
      }
    };
  }
}
