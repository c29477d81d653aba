package io.stackpilot.verifier;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** The verifier's Kafka side: every applied step gets a health verdict. */
@Configuration
class VerifierFunctions {

  @Bean
  Function<Message<StepApplied>, Message<SpecificRecord>> verifyStep(
      FleetClients clusters, Envelopes envelopes) {
    StepVerifier verifier = new StepVerifier(clusters, envelopes);
    return message ->
        EventPublisher.message(Topic.COMPONENT_HEALTH, verifier.verify(message.getPayload()));
  }
}
