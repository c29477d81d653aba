package io.stackpilot.notifier.channel;

/**
 * The default title and message: the look of seed 000's ntfy contact point ("🔥 FIRING" / "✅
 * RESOLVED", alert name, cluster, severity, description, a link), split so the first line is the
 * title. The seed's fixed Grafana link becomes {@code .ExternalURL}; the alerts' common {@code
 * runbook_url} annotation is a second link; blank lines for a missing description or link are left
 * out. A wave's digest (the gate decision's {@code digest} annotation, one line per cluster) takes
 * the place of the cluster line, under the wave's number.
 */
final class DefaultTemplates {

  static final String TITLE =
      "{{ if eq .Status \"firing\" }}\uD83D\uDD25 FIRING{{ else }}\u2705 RESOLVED{{ end }}:"
          + " {{ .CommonLabels.alertname }}";

  static final String MESSAGE =
      "{{ if .CommonAnnotations.digest }}\uD83D\uDCCA Wave: {{ .CommonLabels.wave }}\n"
          + "{{ .CommonAnnotations.digest }}"
          + "{{ else }}\uD83D\uDCCA Cluster: {{ .CommonLabels.cluster }}{{ end }}\n"
          + "\u26A0\uFE0F Severity: {{ .CommonLabels.severity }}"
          + "{{ if .CommonAnnotations.description }}\n\n{{ .CommonAnnotations.description }}{{ end }}"
          + "{{ if .CommonAnnotations.runbook_url }}\n\n\uD83D\uDCD6 Runbook:"
          + " {{ .CommonAnnotations.runbook_url }}{{ end }}"
          + "{{ if .ExternalURL }}\n\n\uD83D\uDD17 View alerts: {{ .ExternalURL }}{{ end }}";

  private DefaultTemplates() {}
}
