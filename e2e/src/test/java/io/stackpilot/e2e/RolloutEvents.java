package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.testing.EventTap;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** A rollout's events as an e2e test reads them from the topics (an {@link EventTap}). */
final class RolloutEvents {
  static final List<RolloutPhase> TERMINAL =
      List.of(
          RolloutPhase.COMPLETED,
          RolloutPhase.HALTED,
          RolloutPhase.ROLLED_BACK,
          RolloutPhase.ABORTED,
          RolloutPhase.REJECTED);

  private RolloutEvents() {}

  /** The events of one type the tap has read for the rollout (its correlation id). */
  static <T extends SpecificRecord> List<T> of(EventTap tap, Class<T> type, String rolloutId) {
    return tap.values(type).stream()
        .filter(e -> rolloutId.equals(Topic.envelopeOf(e).getCorrelationId()))
        .toList();
  }

  /** The rollout's first transition into a terminal phase, waited for (up to 4 minutes). */
  static RolloutStatusChanged awaitEnd(EventTap tap, String rolloutId) {
    return await()
        .atMost(Duration.ofSeconds(240))
        .until(
            () ->
                of(tap, RolloutStatusChanged.class, rolloutId).stream()
                    .filter(s -> TERMINAL.contains(s.getPhase()))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  /** The rollout's first gate request for a wave, or null while there is none. */
  static RolloutStatusChanged gateRequest(EventTap tap, String rolloutId, int wave) {
    return of(tap, RolloutStatusChanged.class, rolloutId).stream()
        .filter(s -> s.getTransition() == RolloutTransition.GATE_REQUESTED)
        .filter(s -> s.getWaveIndex() != null && s.getWaveIndex() == wave)
        .findFirst()
        .orElse(null);
  }

  static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
