package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The events that create alerts give them annotations (an alert its own; a lifecycle event a
 * summary, its reason as description and its rollout), and they survive the internal topics' JSON.
 */
class EventAlertsAnnotationsTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  final EventAlerts eventAlerts = new EventAlerts(Duration.ofHours(24));

  @Test
  void anAlertKeepsItsAnnotationsThroughTheRoutedRecord() throws Exception {
    AlertStatusChanged e = new AlertStatusChanged();
    e.setEnvelope(Events.envelope("a-1", "r-1", "c1"));
    e.setStatus(AlertStatus.FIRING);
    e.setFingerprint("f");
    e.setLabels(Map.of("alertname", "HighCpu", "cluster", "c1"));
    e.setAnnotations(
        Map.of("description", "CPU above 90%", "runbook_url", "https://runbooks.example.org/cpu"));
    e.setStartsAt(NOW);

    SourcedAlert alert = eventAlerts.of(e, NOW).get(0).routedTo("route", "ops", "{}:{}");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    SourcedAlert read = json.readValue(json.writeValueAsBytes(alert), SourcedAlert.class);

    assertThat(read.alert().annotations())
        .containsEntry("description", "CPU above 90%")
        .containsEntry("runbook_url", "https://runbooks.example.org/cpu");
    assertThat(read.fingerprint())
        .as("annotations are not identity")
        .isEqualTo(alert.fingerprint());

    // and the default webhook's payload (Alertmanager's v4) carries them
    var n =
        new io.stackpilot.notifier.routing.Notification(
            "ops", "{}:{}", Map.of(), List.of(read.alert()), List.of(), NOW);
    Map<String, Object> payload = WebhookChannel.payload(n);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) payload.get("alerts");
    assertThat(alerts.get(0).get("annotations")).isEqualTo(e.getAnnotations());
    assertThat(payload.get("commonAnnotations")).isEqualTo(e.getAnnotations());
  }

  @Test
  void lifecycleEventsGetASummaryTheirReasonAndTheirRollout() {
    ComponentVerified v = new ComponentVerified();
    v.setEnvelope(Events.envelope("v-1", "r-7", "c1"));
    v.setComponent("loki");
    v.setHealth(HealthStatus.DEGRADED);
    v.setReason("ingester ring unhealthy");
    GateDecided g = new GateDecided();
    g.setEnvelope(Events.envelope("g-1", "r-7", null));
    g.setWaveIndex(2);
    g.setDecision(GateDecision.ROLL_BACK);
    g.setReasons(List.of("error budget burned", "canary failed"));

    assertThat(eventAlerts.of(v, NOW).get(0).alert().annotations())
        .isEqualTo(
            Map.of(
                "summary", "loki on c1: DEGRADED",
                "description", "ingester ring unhealthy",
                "rollout", "r-7"));
    assertThat(eventAlerts.of(g, NOW).get(0).alert().annotations())
        .isEqualTo(
            Map.of(
                "summary", "Wave 2 of rollout r-7: ROLL_BACK, no clusters",
                "description", "error budget burned; canary failed",
                "rollout", "r-7"));
  }
}
