package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.NOW;
import static io.stackpilot.notifier.channel.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Annotations reach the messages and payloads: the default message shows the common description and
 * runbook link, Alertmanager's webhook payload and API alerts carry each alert's annotations and
 * the common ones.
 */
class AnnotationsTest {
  static final Map<String, String> RUNBOOK =
      Map.of("runbook_url", "https://runbooks.example.org/high-cpu");

  static final Notification N =
      new Notification(
          "team",
          "{}:{alertname=\"HighCpu\"}",
          Map.of("alertname", "HighCpu"),
          List.of(
              alert("a", Map.of("description", "CPU above 90% for 10m", "summary", "pod a hot"))),
          List.of(
              alert("b", Map.of("description", "CPU above 90% for 10m", "summary", "pod b hot"))
                  .resolved(NOW)),
          NOW);

  static Alert alert(String pod, Map<String, String> annotations) {
    Map<String, String> all = new java.util.HashMap<>(annotations);
    all.putAll(RUNBOOK);
    return Alert.firing(
            Map.of("alertname", "HighCpu", "cluster", "homelab", "severity", "warning", "pod", pod),
            T0)
        .annotated(all);
  }

  @Test
  void theDefaultMessageShowsTheDescriptionAndTheRunbook() {
    String message =
        MessageTemplate.parse(DefaultTemplates.MESSAGE)
            .render(new TemplateData(N, "https://console.example.org/alerts").root());
    assertThat(message)
        .isEqualTo(
            "\uD83D\uDCCA Cluster: homelab\n"
                + "\u26A0\uFE0F Severity: warning\n\n"
                + "CPU above 90% for 10m\n\n"
                + "\uD83D\uDCD6 Runbook: https://runbooks.example.org/high-cpu\n\n"
                + "\uD83D\uDD17 View alerts: https://console.example.org/alerts");
  }

  @Test
  void templatesSeeEachAlertsAnnotationsAndTheCommonOnes() {
    String rendered =
        MessageTemplate.parse(
                "{{ .CommonAnnotations.summary }}|{{ range .Alerts }}{{ .Annotations.summary }};{{ end }}")
            .render(new TemplateData(N, "").root());
    assertThat(rendered).isEqualTo("|pod a hot;pod b hot;");
  }

  @Test
  void alertmanagersWebhookPayloadCarriesAnnotations() {
    Map<String, Object> payload = AlertmanagerWebhookPayload.of(N, 0, "");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) payload.get("alerts");
    assertThat(alerts.get(0).get("annotations"))
        .isEqualTo(
            Map.of(
                "description", "CPU above 90% for 10m",
                "summary", "pod a hot",
                "runbook_url", "https://runbooks.example.org/high-cpu"));
    assertThat(payload.get("commonAnnotations"))
        .isEqualTo(
            Map.of(
                "description",
                "CPU above 90% for 10m",
                "runbook_url",
                "https://runbooks.example.org/high-cpu"));
  }

  @Test
  void alertmanagerApiAlertsCarryAnnotations() {
    List<Map<String, Object>> alerts = AlertmanagerChannel.alerts(new TemplateData(N, ""));
    assertThat(alerts).extracting(a -> a.get("annotations")).hasSize(2);
    assertThat(alerts.get(1).get("annotations"))
        .isEqualTo(
            Map.of(
                "description", "CPU above 90% for 10m",
                "summary", "pod b hot",
                "runbook_url", "https://runbooks.example.org/high-cpu"));
  }
}
