package io.stackpilot.notifier.channel;

import static io.stackpilot.notifier.channel.Fixtures.NOW;
import static io.stackpilot.notifier.channel.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template subset: fields, if/else, eq/ne/len, range over alerts, trim markers, checks. */
class MessageTemplateTest {

  private static final Notification N =
      new Notification(
          "team",
          "{}:{alertname=\"HighCpu\"}",
          Map.of("alertname", "HighCpu"),
          List.of(
              Alert.firing(Map.of("alertname", "HighCpu", "cluster", "homelab", "pod", "a"), T0),
              Alert.firing(Map.of("alertname", "HighCpu", "cluster", "homelab", "pod", "b"), T0)),
          List.of(
              Alert.firing(Map.of("alertname", "HighCpu", "cluster", "homelab", "pod", "c"), T0)
                  .resolved(NOW)),
          NOW);

  private static String render(String template) {
    return MessageTemplate.parse(template).render(new TemplateData(N, "https://x.test").root());
  }

  @Test
  void fieldsAndCommonLabels() {
    assertThat(
            render(
                "{{ .Status }} {{ .Receiver }} {{ .CommonLabels.alertname }}@{{ .CommonLabels.cluster }} [{{ .CommonLabels.pod }}] {{ .ExternalURL }}"))
        .isEqualTo("firing team HighCpu@homelab [] https://x.test");
    assertThat(render("{{ .GroupLabels.alertname }} {{ .GroupKey }}"))
        .isEqualTo("HighCpu {}:{alertname=\"HighCpu\"}");
  }

  @Test
  void conditionsAndElseIf() {
    assertThat(render("{{ if eq .Status \"firing\" }}F{{ else }}R{{ end }}")).isEqualTo("F");
    assertThat(
            render(
                "{{ if ne .Status \"firing\" }}R{{ else if .CommonLabels.cluster }}C{{ else }}N{{ end }}"))
        .isEqualTo("C");
    assertThat(render("{{ if .CommonAnnotations.summary }}S{{ end }}|")).isEqualTo("|");
  }

  @Test
  void rangeOverAlertsFiringAndResolvedWithTrimMarkers() {
    assertThat(
            render(
                "{{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved:\n"
                    + "{{- range .Alerts }}\n- {{ .Labels.pod }} {{ .Status }} since {{ .StartsAt }}"
                    + "{{ if eq .Status \"resolved\" }} until {{ .EndsAt }}{{ end }} ({{ $.CommonLabels.cluster }})"
                    + "{{- end }}"))
        .isEqualTo(
            "2 firing, 1 resolved:\n"
                + "- a firing since 2026-11-21T10:00:00Z (homelab)\n"
                + "- b firing since 2026-11-21T10:00:00Z (homelab)\n"
                + "- c resolved since 2026-11-21T10:00:00Z until 2026-11-21T10:05:00Z (homelab)");
    assertThat(render("{{ range .Alerts.Resolved }}{{ .Labels.pod }}{{ end }}")).isEqualTo("c");
  }

  @Test
  void mistakesAreRefusedAtParse() {
    assertThatThrownBy(() -> MessageTemplate.parse("{{ .Staus }}"))
        .hasMessage("unknown field '.Staus' at offset 0");
    assertThatThrownBy(() -> MessageTemplate.parse("x {{ .Labels.pod }}"))
        .hasMessage("unknown field '.Labels.pod' at offset 2");
    assertThatThrownBy(
            () -> MessageTemplate.parse("{{ range .Alerts }}{{ .CommonLabels.x }}{{ end }}"))
        .hasMessageContaining("inside range, . is one alert");
    assertThatThrownBy(() -> MessageTemplate.parse("{{ if .Status }}x"))
        .hasMessage("missing {{end}}");
    assertThatThrownBy(() -> MessageTemplate.parse("{{ end }}"))
        .hasMessage("unexpected {{end}} at offset 0");
    assertThatThrownBy(() -> MessageTemplate.parse("{{ .Status"))
        .hasMessage("unclosed action at offset 0");
    assertThatThrownBy(() -> MessageTemplate.parse("{{ printf \"%s\" .Status }}"))
        .hasMessageContaining("unknown function 'printf'");
    assertThatThrownBy(() -> MessageTemplate.parse("{{ range .CommonLabels }}{{ end }}"))
        .hasMessageContaining("range works over .Alerts");
  }

  @Test
  void theDefaultsAreSeed000sLook() {
    assertThat(render(DefaultTemplates.TITLE)).isEqualTo("\uD83D\uDD25 FIRING: HighCpu");
    assertThat(render(DefaultTemplates.MESSAGE))
        .isEqualTo(
            "\uD83D\uDCCA Cluster: homelab\n\u26A0\uFE0F Severity: \n\n\uD83D\uDD17 View alerts: https://x.test");
  }
}
