package io.stackpilot.notifier.silence;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.SilenceChange;
import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import io.stackpilot.notifier.routing.Silences;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A replica applies its own write at once and again when its reader reaches it: the topic's order
 * decides, so the reader reaching a create after this replica expired the silence leaves it
 * expired.
 */
class SilenceLogOrderTest {

  private static final Instant NOW = Instant.now();
  private static final Map<String, String> LABELS = Map.of("cluster", "hub");

  @Test
  void aCreateReadBackAfterItsExpiryDoesNotBringTheSilenceBack() {
    Silences silences = new Silences();
    try (SilenceLog log = new SilenceLog("127.0.0.1:1", "http://127.0.0.1:1", silences)) {
      Silence active =
          new Silence(
              "s1",
              List.of(LabelMatcher.of("cluster", LabelMatcher.Type.EQUAL, "hub")),
              NOW.minus(Duration.ofMinutes(1)),
              NOW.plus(Duration.ofHours(1)),
              "user:alice",
              "maintenance");
      // this replica's writes, applied as the broker acknowledged them: create at 0, expire at 1
      log.apply(SilenceEvents.event(envelope(), SilenceChange.CREATED, active), 0);
      assertThat(silences.isSilenced(LABELS, NOW)).isTrue();
      log.apply(
          SilenceEvents.event(envelope(), SilenceChange.EXPIRED, Silences.expired(active, NOW)), 1);
      assertThat(silences.isSilenced(LABELS, NOW)).isFalse();

      // then its reader reaches both records, in the topic's order
      log.apply(SilenceEvents.event(envelope(), SilenceChange.CREATED, active), 0);
      assertThat(silences.isSilenced(LABELS, NOW)).as("after reading the create back").isFalse();
      log.apply(
          SilenceEvents.event(envelope(), SilenceChange.EXPIRED, Silences.expired(active, NOW)), 1);
      assertThat(silences.isSilenced(LABELS, NOW)).isFalse();
    }
  }

  private static EventEnvelope envelope() {
    return EventEnvelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(NOW)
        .setActor("user:alice")
        .setCorrelationId("s1")
        .setProducer("stackpilot-notifier")
        .build();
  }
}
