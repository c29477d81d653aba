package io.stackpilot.applier;

import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.time.Clock;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The applier's Kafka side: each requested step is applied, with transient API failures retried as
 * {@code stackpilot.applier.retry.*} says, and its outcome published in the step's transaction.
 */
@Configuration
@EnableConfigurationProperties(RetryPolicy.class)
class ApplierFunctions {

  @Bean
  Consumer<Message<StepRequested>> applyStep(
      FleetClients clusters,
      Envelopes envelopes,
      Clock clock,
      EventPublisher publisher,
      RetryPolicy retry) {
    StepApplier applier = new StepApplier(clusters, envelopes, clock, Retry.of(retry, clock));
    return message -> publisher.publish(applier.apply(message.getPayload()));
  }
}
