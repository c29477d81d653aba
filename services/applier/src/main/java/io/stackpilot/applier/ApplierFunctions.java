package io.stackpilot.applier;

import io.stackpilot.applier.drift.DriftDetector;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The applier's Kafka side: each requested step is applied, with transient API failures retried as
 * {@code stackpilot.applier.retry.*} says, and its outcome published in the step's transaction;
 * beside it, the drift detector compares what was applied with the clusters every {@code
 * stackpilot.applier.drift.interval}.
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

  @Bean
  @ConditionalOnProperty(
      name = "stackpilot.applier.drift.enabled",
      havingValue = "true",
      matchIfMissing = true)
  DriftDetector driftDetector(
      FleetClients clusters,
      Envelopes envelopes,
      Clock clock,
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${stackpilot.registry.url}") String registryUrl,
      @Value("${stackpilot.applier.drift.interval:5m}") Duration interval,
      @Value("${stackpilot.applier.drift.threads:4}") int threads) {
    return new DriftDetector(
        new DriftDetector.Settings(bootstrapServers, registryUrl, interval, threads),
        clusters,
        envelopes,
        clock);
  }
}
