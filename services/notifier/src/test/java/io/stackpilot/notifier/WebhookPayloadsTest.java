package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.HealthStatus;
import io.stackpilot.testing.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A verdict becomes Alertmanager's webhook payload, version 4. */
class WebhookPayloadsTest {

  @Test
  void aDegradedVerdictFiresWithClusterAndComponentLabels() {
    Map<String, Object> payload =
        WebhookPayloads.forVerdict(
            "ops", Events.verified("r1", "foundation", "mimir", HealthStatus.DEGRADED));

    assertThat(payload)
        .containsEntry("version", "4")
        .containsEntry("status", "firing")
        .containsEntry("receiver", "ops")
        .containsEntry("groupKey", "{}:{cluster=\"foundation\", component=\"mimir\"}");
    @SuppressWarnings("unchecked")
    Map<String, Object> alert = ((List<Map<String, Object>>) payload.get("alerts")).get(0);
    assertThat((Map<String, String>) alert.get("labels"))
        .containsEntry("cluster", "foundation")
        .containsEntry("tenant", "foundation")
        .containsEntry("health", "DEGRADED");
    assertThat(alert.get("startsAt")).isEqualTo("2026-11-21T08:00:00Z");
  }

  @Test
  void aHealthyVerdictIsResolved() {
    assertThat(
            WebhookPayloads.forVerdict(
                "ops", Events.verified("r1", "perso", "loki", HealthStatus.HEALTHY)))
        .containsEntry("status", "resolved");
  }
}
