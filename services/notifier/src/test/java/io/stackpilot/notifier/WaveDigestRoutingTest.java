package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.notifier.NotifierDelivery.Digest;
import io.stackpilot.notifier.delivery.EventAlerts;
import io.stackpilot.notifier.delivery.RoutingConfigSource;
import io.stackpilot.notifier.routing.Route;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import io.stackpilot.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code stackpilot.notifier.events.digest}: {@code verdict} (the default) sends the webhook each
 * verdict, as before; {@code wave} sends it each gate decision, the digest of a wave, and the
 * verdicts nowhere. The example routing file for a routing of one's own does the same and loads.
 */
class WaveDigestRoutingTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final Path EXAMPLE = Path.of("../../examples/notifier/wave-digest.yaml");
  final EventAlerts alerts = new EventAlerts(Duration.ofHours(24));

  Map<String, String> verdict() {
    return alerts
        .of(Events.verified("r-1", "hub", "loki", HealthStatus.HEALTHY), NOW)
        .get(0)
        .labels();
  }

  Map<String, String> gate(GateDecision decision) {
    return alerts
        .of(
            GateDecided.newBuilder()
                .setEnvelope(Events.envelope("g-1", "r-1", null))
                .setWaveIndex(1)
                .setClusters(List.of("hub", "w1"))
                .setDecision(decision)
                .build(),
            NOW)
        .get(0)
        .labels();
  }

  Map<String, String> transition() {
    RolloutStatusChanged t = new RolloutStatusChanged();
    t.setEnvelope(Events.envelope("t-1", "r-1", null));
    t.setStackName("lgtm");
    t.setTransition(RolloutTransition.WAVE_STARTED);
    t.setPhase(RolloutPhase.PROGRESSING);
    t.setWaveIndex(1);
    return alerts.of(t, NOW).get(0).labels();
  }

  static List<String> receivers(RoutingConfig config, Map<String, String> labels) {
    return config.route().match(labels).stream().map(Route::receiver).toList();
  }

  @Test
  void verdictIsTheDefaultAndUnchanged() {
    assertThat(Digest.of("")).isEqualTo(Digest.VERDICT);
    assertThat(Digest.of("verdict")).isEqualTo(Digest.VERDICT);
    assertThat(NotifierDelivery.defaultRouting("hook", Digest.VERDICT))
        .isEqualTo(NotifierDelivery.defaultRouting("hook"));
    RoutingConfig config = RoutingConfigLoader.load(NotifierDelivery.defaultRouting("hook"));

    assertThat(receivers(config, verdict())).containsExactly("hook");
    assertThat(receivers(config, gate(GateDecision.PROMOTE))).containsExactly("unrouted-lifecycle");
    assertThat(receivers(config, transition())).containsExactly("unrouted-lifecycle");
  }

  @Test
  void waveSendsTheWebhookEachGateDecisionAloneAndTheVerdictsNowhere() {
    assertThat(Digest.of(" Wave ")).isEqualTo(Digest.WAVE);
    RoutingConfig config =
        RoutingConfigLoader.load(NotifierDelivery.defaultRouting("hook", Digest.WAVE));

    assertThat(receivers(config, gate(GateDecision.PROMOTE))).containsExactly("hook");
    assertThat(receivers(config, gate(GateDecision.ROLL_BACK))).containsExactly("hook");
    assertThat(receivers(config, verdict())).containsExactly("unrouted-lifecycle");
    assertThat(receivers(config, transition())).containsExactly("unrouted-lifecycle");
    assertThat(receivers(config, Map.of("alertname", "HighCpu"))).containsExactly("hook");
    Route route = config.route().match(gate(GateDecision.PROMOTE)).get(0);
    assertThat(route.groupWait()).isZero();
    assertThat(route.groupKey(gate(GateDecision.PROMOTE)))
        .as("each gate decision is its own group, so one notification per wave")
        .isNotEqualTo(route.groupKey(gate(GateDecision.HOLD)));
  }

  @Test
  void anUnknownValueIsRefused() {
    assertThatThrownBy(() -> Digest.of("cluster"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stackpilot.notifier.events.digest: 'cluster'");
  }

  @Test
  void theExampleRoutingFileLoadsAndSendsOneDigestPerWave() throws Exception {
    String yaml = Files.readString(EXAMPLE);
    assertThat(RoutingConfigSource.validate(yaml)).isEmpty();
    RoutingConfig config = RoutingConfigLoader.load(yaml);

    assertThat(receivers(config, gate(GateDecision.PROMOTE))).containsExactly("ops-webhook");
    assertThat(receivers(config, gate(GateDecision.HOLD)))
        .containsExactly("on-call-phone", "ops-webhook");
    assertThat(receivers(config, verdict())).containsExactly("unrouted-lifecycle");
    assertThat(receivers(config, transition())).containsExactly("unrouted-lifecycle");
    assertThat(receivers(config, Map.of("alertname", "HighCpu"))).containsExactly("ops-webhook");
  }
}
