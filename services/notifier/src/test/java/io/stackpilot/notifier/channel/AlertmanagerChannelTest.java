package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.routing.Notification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Alertmanager channel's request against a local sink (AlertmanagerChannelIT: a real one). */
class AlertmanagerChannelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordingHttpSink sink = RecordingHttpSink.start();

  @AfterEach
  void close() {
    sink.close();
  }

  @Test
  void postsAnArrayOfPostableAlertsWithEndsAtOnlyWhenResolved() throws Exception {
    Notification n =
        new Notification(
            "team",
            "{}:{}",
            Map.of(),
            List.of(alert("HighCpu", "critical")),
            List.of(alert("DiskFull", "warning").resolved(Fixtures.NOW)),
            Fixtures.NOW);
    SendOutcome outcome =
        Fixtures.only(
                "alertmanager_configs:\n- url: " + sink.url("/am/") + "\n",
                SecretSource.inMemory(Map.of()))
            .send(n, "n");

    assertThat(outcome).isEqualTo(SendOutcome.delivered(200, null));
    RecordingHttpSink.Request r = sink.only();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/am/api/v2/alerts");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(JSON.readValue(r.body(), List.class))
        .isEqualTo(
            List.of(
                Map.of(
                    "labels",
                        Map.of(
                            "alertname", "HighCpu", "cluster", "homelab", "severity", "critical"),
                    "annotations", Map.of(),
                    "startsAt", "2026-11-21T10:00:00Z"),
                Map.of(
                    "labels",
                    Map.of("alertname", "DiskFull", "cluster", "homelab", "severity", "warning"),
                    "annotations",
                    Map.of(),
                    "startsAt",
                    "2026-11-21T10:00:00Z",
                    "endsAt",
                    "2026-11-21T10:05:00Z")));
  }

  @Test
  void aBadRequestIsARefusal() {
    sink.respond(400, "{\"code\":400,\"message\":\"bad alert\"}");
    SendOutcome outcome =
        Fixtures.only(
                "alertmanager_configs:\n- url: " + sink.base() + "\n",
                SecretSource.inMemory(Map.of()))
            .send(Fixtures.firing(alert("A", "critical")), "n");
    assertThat(outcome.retryable()).isFalse();
    assertThat(outcome.status()).isEqualTo(400);
    assertThat(sink.only().path()).isEqualTo("/api/v2/alerts");
  }
}
