package io.stackpilot.notifier.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v2/silences?filter=...} as Alertmanager answers it: a silence is listed when each
 * filter matcher is one of its own (same name, operator and value, not a label match), in active,
 * pending, expired order.
 */
class SilenceFilterTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @Test
  void aSilenceIsListedWhenEveryFilterMatcherIsOneOfItsOwn() {
    Silence hub = silence("hub", List.of("cluster=\"hub\"", "severity=~\"warning|info\""), 0, 2);
    List<LabelMatcher> byCluster = SilencesController.filters(List.of("cluster=\"hub\""));
    assertThat(SilencesController.listedBy(hub, byCluster)).isTrue();
    assertThat(
            SilencesController.listedBy(
                hub,
                SilencesController.filters(
                    List.of("cluster=\"hub\"", "severity=~\"warning|info\""))))
        .isTrue();
    // the same name with another operator or value is not the silence's matcher
    for (String other : List.of("cluster!=\"hub\"", "cluster=~\"hub\"", "cluster=\"w1\"")) {
      assertThat(SilencesController.listedBy(hub, SilencesController.filters(List.of(other))))
          .as(other)
          .isFalse();
    }
    // a label set the silence would mute is not a filter it matches (Alertmanager compares
    // matchers, it does not match labels)
    assertThat(
            SilencesController.listedBy(
                hub, SilencesController.filters(List.of("severity=\"warning\""))))
        .isFalse();
  }

  @Test
  void aBadFilterIsA400NamingTheField() {
    assertThatThrownBy(() -> SilencesController.filters(List.of("cluster=>\"hub\"")))
        .isInstanceOf(InvalidSilenceException.class)
        .hasMessageStartingWith("filter: bad matcher format");
  }

  @Test
  void activeByEndThenPendingByStartThenExpiredLatestEndFirst() {
    Silence activeLate = silence("a2", List.of("a=\"1\""), -1, 5);
    Silence activeSoon = silence("a1", List.of("a=\"1\""), -1, 1);
    Silence pendingLate = silence("p2", List.of("a=\"1\""), 3, 6);
    Silence pendingSoon = silence("p1", List.of("a=\"1\""), 2, 6);
    Silence expiredOld = silence("e2", List.of("a=\"1\""), -9, -5);
    Silence expiredRecent = silence("e1", List.of("a=\"1\""), -9, -1);
    assertThat(
            List.of(expiredOld, pendingLate, activeLate, expiredRecent, pendingSoon, activeSoon)
                .stream()
                .sorted(SilencesController.order(NOW))
                .map(Silence::id))
        .containsExactly("a1", "a2", "p1", "p2", "e1", "e2");
  }

  private static Silence silence(String id, List<String> matchers, int startHours, int endHours) {
    return new Silence(
        id,
        matchers.stream().map(LabelMatcher::parse).toList(),
        NOW.plus(Duration.ofHours(startHours)),
        NOW.plus(Duration.ofHours(endHours)),
        "user:alice",
        "test");
  }
}
