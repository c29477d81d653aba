package io.stackpilot.notifier;

import io.stackpilot.notifier.ack.AckPoller;
import io.stackpilot.notifier.ack.ReceiptTracker;
import io.stackpilot.notifier.delivery.KafkaSettings;
import io.stackpilot.notifier.delivery.RoutingConfigSource;
import io.stackpilot.notifier.routing.Silences;
import io.stackpilot.notifier.silence.SilenceLog;
import io.stackpilot.notifier.silence.SilenceLoops;
import io.stackpilot.notifier.silence.SilenceService;
import io.stackpilot.notifier.silence.WaveSilencer;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The silences (API, topic, waves) and the acknowledgements of emergency notifications. */
@Configuration
class NotifierSilences {

  @Bean
  Silences silences() {
    return new Silences();
  }

  @Bean
  ReceiptTracker receiptTracker(RoutingConfigSource configs) {
    return new ReceiptTracker(() -> configs.current().config());
  }

  @Bean(destroyMethod = "close")
  SilenceLog silenceLog(KafkaSettings settings, Silences silences, ReceiptTracker receipts) {
    return new SilenceLog(settings.bootstrapServers(), settings.registryUrl(), silences, receipts);
  }

  @Bean
  SilenceService silenceService(SilenceLog log, Envelopes envelopes, Clock clock) {
    return new SilenceService(log, envelopes, clock);
  }

  @Bean
  SilenceLoops silenceLoops(
      KafkaSettings settings,
      SilenceLog log,
      SilenceService service,
      ReceiptTracker tracker,
      Envelopes envelopes,
      Clock clock,
      @Value("${stackpilot.notifier.wave-silences.enabled:true}") boolean waves,
      @Value("${stackpilot.notifier.wave-silences.max-duration:6h}") Duration maxDuration,
      @Value("${stackpilot.notifier.acknowledgements.poll-interval:10s}") Duration pollInterval,
      @Value("${stackpilot.notifier.silences.start-timeout:60s}") Duration startTimeout) {
    WaveSilencer silencer =
        waves
            ? new WaveSilencer(
                settings.bootstrapServers(),
                settings.registryUrl(),
                settings.groupPrefix() + "-wave-silences",
                service,
                log,
                clock,
                maxDuration)
            : null;
    return new SilenceLoops(
        log, silencer, new AckPoller(tracker, log, envelopes, clock), pollInterval, startTimeout);
  }
}
