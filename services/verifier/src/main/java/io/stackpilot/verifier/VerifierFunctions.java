package io.stackpilot.verifier;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The verifier's Kafka side: every applied step gets a health verdict, and every gate request of
 * the planner's orchestrator a GateDecided after its soak.
 */
@Configuration
@EnableConfigurationProperties(VerifierFunctions.GateProperties.class)
class VerifierFunctions {

  /**
   * {@code stackpilot.verifier.gate.threads}: threads that wait out soaks and read clusters; {@code
   * max-lateness}: a request due longer ago than this is skipped, not judged; {@code
   * publish-backoff}: first wait before publishing a decision again.
   */
  @ConfigurationProperties("stackpilot.verifier.gate")
  record GateProperties(
      @DefaultValue("2") int threads,
      @DefaultValue("1h") Duration maxLateness,
      @DefaultValue("1s") Duration publishBackoff) {}

  @Bean
  StepVerifier stepVerifier(FleetClients clusters, Envelopes envelopes) {
    return new StepVerifier(clusters, envelopes);
  }

  @Bean
  Function<Message<StepApplied>, Message<SpecificRecord>> verifyStep(StepVerifier verifier) {
    return message ->
        EventPublisher.message(Topic.COMPONENT_HEALTH, verifier.verify(message.getPayload()));
  }

  @Bean(destroyMethod = "close")
  GateKeeper gateKeeper(
      StepVerifier verifier,
      EventPublisher publisher,
      Envelopes envelopes,
      Clock clock,
      GateProperties properties) {
    return new GateKeeper(
        subject ->
            verifier.check(
                subject.getCluster(),
                subject.getAction(),
                subject.getDigest(),
                subject.getResources()),
        publisher::publish,
        envelopes,
        clock,
        GateKeeper.scheduler(properties.threads()),
        properties.maxLateness(),
        properties.publishBackoff());
  }

  @Bean
  Consumer<Message<RolloutStatusChanged>> judgeGate(GateKeeper keeper) {
    return message -> keeper.onStatus(message.getPayload());
  }
}
