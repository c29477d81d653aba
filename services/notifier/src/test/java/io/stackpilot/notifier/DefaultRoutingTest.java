package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.notifier.delivery.EventAlerts;
import io.stackpilot.notifier.delivery.SourcedAlert;
import io.stackpilot.notifier.routing.Route;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import io.stackpilot.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without a routing file the notifier behaves as before routing: each verdict on its own, at once,
 * to the webhook receiver; rollout transitions and gate decisions become alerts but go nowhere.
 */
class DefaultRoutingTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  final RoutingConfig config = RoutingConfigLoader.load(NotifierDelivery.defaultRouting("hook"));
  final EventAlerts alerts = new EventAlerts(Duration.ofHours(24));

  @Test
  void eachVerdictIsItsOwnGroupForTheWebhookReceiverAndFiresAtOnce() {
    SourcedAlert healthy =
        single(alerts.of(Events.verified("r-1", "perso", "loki", HealthStatus.HEALTHY), NOW));
    SourcedAlert degraded =
        single(alerts.of(Events.verified("r-1", "perso", "loki", HealthStatus.DEGRADED), NOW));
    SourcedAlert otherRollout =
        single(alerts.of(Events.verified("r-2", "perso", "loki", HealthStatus.HEALTHY), NOW));

    assertThat(healthy.labels())
        .containsEntry("alertname", "StackpilotComponentVerified")
        .containsEntry("cluster", "perso")
        .containsEntry("component", "loki")
        .containsEntry("health", "HEALTHY")
        .containsEntry("severity", "info")
        .containsEntry("rollout", "r-1");
    assertThat(degraded.labels()).containsEntry("severity", "critical");
    assertThat(healthy.alert().resolvedAt(NOW)).isFalse();
    assertThat(healthy.alert().resolvedAt(NOW.plus(Duration.ofHours(24)))).isTrue();
    assertThat(healthy.cause().eventId()).isEqualTo("verified-r-1-perso-loki");

    Route route = single(config.route().match(healthy.labels()));
    assertThat(route.receiver()).isEqualTo("hook");
    assertThat(route.groupWait()).isZero();
    assertThat(
            List.of(healthy, degraded, otherRollout).stream()
                .map(a -> route.groupKey(a.labels()))
                .distinct())
        .hasSize(3);
  }

  @Test
  void rolloutTransitionsAndGateDecisionsAreAlertsThatTheDefaultSendsNowhere() {
    // only the fields the notifier reads (the record's progress and plan are the planner's)
    RolloutStatusChanged failed = new RolloutStatusChanged();
    failed.setEnvelope(Events.envelope("t-1", "r-1", null));
    failed.setStackName("lgtm");
    failed.setTransition(RolloutTransition.WAVE_FAILED);
    failed.setPhase(RolloutPhase.HALTED);
    failed.setWaveIndex(1);
    failed.setReason("canary burned");
    GateDecided rollBack =
        GateDecided.newBuilder()
            .setEnvelope(Events.envelope("g-1", "r-1", null))
            .setWaveIndex(0)
            .setClusters(List.of("perso"))
            .setDecision(GateDecision.ROLL_BACK)
            .build();

    SourcedAlert transition = single(alerts.of(failed, NOW));
    SourcedAlert gate = single(alerts.of(rollBack, NOW));

    assertThat(transition.labels())
        .containsEntry("alertname", "StackpilotRollout")
        .containsEntry("stack", "lgtm")
        .containsEntry("transition", "WAVE_FAILED")
        .containsEntry("phase", "HALTED")
        .containsEntry("wave", "1")
        .containsEntry("severity", "critical");
    assertThat(gate.labels())
        .containsEntry("alertname", "StackpilotGateDecided")
        .containsEntry("decision", "ROLL_BACK")
        .containsEntry("severity", "critical");
    assertThat(single(config.route().match(transition.labels())).receiver())
        .isEqualTo("unrouted-lifecycle");
    assertThat(single(config.route().match(gate.labels())).receiver())
        .isEqualTo("unrouted-lifecycle");
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
