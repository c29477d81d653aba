package io.stackpilot.planner;

import io.stackpilot.planner.rollout.RolloutDriver;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The planner's Kafka side: one loop that plans every desired-state change recorded on the topic
 * (admitted again, with the overrides and baseline it records, so a change written by another
 * producer cannot skip the rules) and drives each rollout from the events of the other services.
 */
@Configuration
class PlannerFunctions {

  @Bean
  Admission admission() {
    return new Admission();
  }

  @Bean
  RolloutDriver rolloutDriver(Admission admission, Envelopes envelopes) {
    return new RolloutDriver(admission, envelopes);
  }

  @Bean
  RolloutOrchestrator rolloutOrchestrator(
      RolloutDriver driver,
      Clock clock,
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrapServers,
      @Value("${stackpilot.registry.url}") String registryUrl,
      @Value("${stackpilot.planner.tick:200ms}") Duration tick,
      StackpilotMetrics metrics) {
    return new RolloutOrchestrator(
            new RolloutOrchestrator.Settings(bootstrapServers, registryUrl, tick), driver, clock)
        .metrics(metrics);
  }
}
