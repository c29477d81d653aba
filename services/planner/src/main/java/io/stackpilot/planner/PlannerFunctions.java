package io.stackpilot.planner;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The planner's Kafka side: each desired-state change recorded on the topic is admitted again (with
 * the overrides it records) and planned, so a replay of that topic re-derives every plan and a
 * change written by another producer cannot skip the rules.
 */
@Configuration
class PlannerFunctions {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerFunctions.class);

  @Bean
  Admission admission() {
    return new Admission();
  }

  @Bean
  Consumer<Message<DesiredStateChanged>> plan(
      Admission admission, Envelopes envelopes, EventPublisher publisher) {
    PlanEvents events = new PlanEvents(envelopes);
    return message -> {
      DesiredStateChanged change = message.getPayload();
      Plan plan =
          admission
              .admit(
                  change.getStackSpec() + "\n---\n" + change.getFleetSpec(),
                  change.getEnvelope().getCorrelationId(),
                  Admission.recordedIn(change.getFindings()))
              .plan();
      RolloutPlanned planned = events.rolloutPlanned(change, plan);
      publisher.publish(planned);
      events.stepsRequested(planned, plan).forEach(publisher::publish);
      LOG.info(
          "planned rollout of {}: {} waves, {} steps",
          change.getStackName(),
          plan.waves().size(),
          plan.steps().size());
    };
  }
}
