package io.stackpilot.applier;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.applier.drift.DriftDetector;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import io.stackpilot.runtime.tracing.Tracing;
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
      RetryPolicy retry,
      Tracing tracing) {
    StepApplier applier = new StepApplier(clusters, envelopes, clock, Retry.of(retry, clock));
    return message -> {
      StepRequested step = message.getPayload();
      // inside the binding's consumer span: the apply is its child, the StepApplied continues it
      Span span =
          tracing
              .work("apply", Context.current())
              .setAttribute(Tracing.CLUSTER, step.getEnvelope().getCluster())
              .setAttribute(Tracing.ROLLOUT_ID, step.getEnvelope().getCorrelationId())
              .setAttribute("stackpilot.component", step.getComponent())
              .setAttribute("stackpilot.step_id", step.getStepId())
              .startSpan();
      try (Scope scope = span.makeCurrent()) {
        publisher.publish(applier.apply(step));
      } catch (RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
        throw e;
      } finally {
        span.end();
      }
    };
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
