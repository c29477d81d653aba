package io.stackpilot.planner;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The planner's Kafka side: each desired-state change recorded on the topic is planned, so a replay
 * of that topic re-derives every plan.
 */
@Configuration
class PlannerFunctions {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerFunctions.class);

  @Bean
  SpecParser specParser() {
    return new SpecParser();
  }

  @Bean
  Consumer<Message<DesiredStateChanged>> plan(
      SpecParser parser, Envelopes envelopes, EventPublisher publisher) {
    SpecValidator validator = new SpecValidator();
    RolloutPlanner planner = new RolloutPlanner();
    PlanEvents events = new PlanEvents(envelopes);
    return message -> {
      DesiredStateChanged change = message.getPayload();
      SpecParser.Declared declared =
          parser.parse(change.getStackSpec() + "\n---\n" + change.getFleetSpec());
      validator.validate(declared);
      Plan plan =
          planner.plan(declared.stack(), declared.fleet(), change.getEnvelope().getCorrelationId());
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
