package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook payload, version "4", field for field as its {@code webhook_config}
 * documents it. As Alertmanager does, {@code max_alerts} cuts the alert list first and the common
 * labels and status are those of the alerts kept; {@code truncatedAlerts} says how many were cut.
 * Label maps are sorted by name, as Go's JSON encoder writes them.
 */
final class AlertmanagerWebhookPayload {

  static final String VERSION = "4";

  private AlertmanagerWebhookPayload() {}

  /** The payload for a notification, with at most {@code maxAlerts} alerts (0: all). */
  static Map<String, Object> of(Notification n, int maxAlerts, String externalUrl) {
    int total = n.firing().size() + n.resolved().size();
    int truncated = maxAlerts > 0 && total > maxAlerts ? total - maxAlerts : 0;
    Notification kept = n;
    if (truncated > 0) {
      List<Alert> firing = n.firing().subList(0, Math.min(maxAlerts, n.firing().size()));
      List<Alert> resolved = n.resolved().subList(0, maxAlerts - firing.size());
      kept =
          new Notification(n.receiver(), n.groupKey(), n.groupLabels(), firing, resolved, n.at());
    }
    TemplateData data = new TemplateData(kept, externalUrl);
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Alert a : data.alerts()) {
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("status", data.status(a));
      alert.put("labels", new TreeMap<>(a.labels()));
      alert.put("annotations", new TreeMap<>(a.annotations()));
      alert.put("startsAt", TemplateData.time(a.startsAt()));
      alert.put("endsAt", data.endsAt(a));
      alert.put("generatorURL", "");
      alert.put("fingerprint", TemplateData.fingerprint(a.labels()));
      alerts.add(alert);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("receiver", n.receiver());
    payload.put("status", data.status());
    payload.put("alerts", alerts);
    payload.put("groupLabels", new TreeMap<>(n.groupLabels()));
    payload.put("commonLabels", new TreeMap<>(data.commonLabels()));
    payload.put("commonAnnotations", new TreeMap<>(data.commonAnnotations()));
    payload.put("externalURL", data.externalUrl());
    payload.put("version", VERSION);
    payload.put("groupKey", n.groupKey());
    payload.put("truncatedAlerts", truncated);
    return payload;
  }
}
