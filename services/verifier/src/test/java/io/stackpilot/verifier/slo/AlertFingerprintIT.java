package io.stackpilot.verifier.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.testing.RealComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stackpilot's alert fingerprints are the ones a real Alertmanager (Debian's) gives the same
 * labels.
 */
class AlertFingerprintIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fingerprintsMatchTheOnesAlertmanagerComputes(@TempDir Path dir) throws Exception {
    List<Map<String, String>> labelSets =
        List.of(
            Map.of("alertname", "Watchdog"),
            Map.of(
                "alertname", "MyAppHighErrorBudgetBurn",
                "severity", "page",
                "cluster", "perso",
                "slo", "app-availability",
                "service", "myapp"),
            Map.of("alertname", "TenantDown", "tenant", "région-Île", "zone", "eu-west-1a"));
    try (RealComponent alertmanager =
        RealComponent.alertmanager(
            dir, "route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n")) {
      HttpClient http = HttpClient.newHttpClient();
      String body =
          JSON.writeValueAsString(labelSets.stream().map(l -> Map.of("labels", l)).toList());
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(alertmanager.url().resolve("/api/v2/alerts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

      Map<String, String> byAlertname = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                byAlertname.clear();
                for (JsonNode alert : alerts(http, alertmanager.url())) {
                  byAlertname.put(
                      alert.path("labels").path("alertname").asText(),
                      alert.path("fingerprint").asText());
                }
                return byAlertname.size() == labelSets.size();
              });
      for (Map<String, String> labels : labelSets) {
        assertThat(AlertFingerprint.of(labels))
            .as("fingerprint of %s", labels)
            .isEqualTo(byAlertname.get(labels.get("alertname")))
            .hasSize(16);
      }
    }
  }

  private static JsonNode alerts(HttpClient http, URI base) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
