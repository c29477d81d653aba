package io.stackpilot.applier;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.applier.drift.DriftDetector;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.runtime.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
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
      StackpilotMetrics metrics,
      Tracing tracing) {
    Retry retries = Retry.of(retry, clock).onRetry(() -> stepOutcome(metrics, "retried"));
    StepApplier applier = new StepApplier(clusters, envelopes, clock, retries);
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
        SpecificRecord result = applier.apply(step);
        publisher.publish(result);
        stepOutcome(metrics, result instanceof StepFailed ? "failed" : "applied");
      } catch (RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
        throw e;
      } finally {
        span.end();
      }
    };
  }

  /** Counter of step outcomes: applied, failed (a StepFailed published), retried (per retry). */
  static final String STEPS = "stackpilot.applier.steps";

  private static void stepOutcome(StackpilotMetrics metrics, String outcome) {
    metrics.outcome(
        STEPS, "Steps the applier applied or failed, and the retries of their attempts", outcome);
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
      @Value("${stackpilot.applier.drift.threads:4}") int threads,
      StackpilotMetrics metrics) {
    return new DriftDetector(
            new DriftDetector.Settings(bootstrapServers, registryUrl, interval, threads),
            clusters,
            envelopes,
            clock)
        .metrics(metrics);
  }
}
