package io.stackpilot.notifier;

import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds Alertmanager's webhook payload (version 4) for a verdict, so any receiver that takes
 * Alertmanager webhooks takes Stackpilot's: a healthy verdict is "resolved", any other "firing".
 */
public final class WebhookPayloads {

  private WebhookPayloads() {}

  public static Map<String, Object> forVerdict(String receiver, ComponentVerified verdict) {
    EventEnvelope envelope = verdict.getEnvelope();
    String status = verdict.getHealth() == HealthStatus.HEALTHY ? "resolved" : "firing";
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", "StackpilotComponentVerified");
    labels.put("cluster", String.valueOf(envelope.getCluster()));
    labels.put("component", verdict.getComponent());
    labels.put("health", verdict.getHealth().name());
    if (envelope.getTenant() != null) {
      labels.put("tenant", envelope.getTenant());
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(
        "summary",
        verdict.getComponent() + " on " + envelope.getCluster() + " is " + verdict.getHealth());
    annotations.put("description", verdict.getReason());
    annotations.put("rollout", envelope.getCorrelationId());

    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("status", status);
    alert.put("labels", labels);
    alert.put("annotations", annotations);
    alert.put("startsAt", envelope.getOccurredAt().toString());
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "");
    alert.put("fingerprint", envelope.getEventId());

    Map<String, String> groupLabels =
        new TreeMap<>(
            Map.of("cluster", labels.get("cluster"), "component", verdict.getComponent()));
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("version", "4");
    payload.put("groupKey", groupKey(groupLabels));
    payload.put("truncatedAlerts", 0);
    payload.put("status", status);
    payload.put("receiver", receiver);
    payload.put("groupLabels", groupLabels);
    payload.put("commonLabels", labels);
    payload.put("commonAnnotations", annotations);
    payload.put("externalURL", "");
    payload.put("alerts", List.of(alert));
    return payload;
  }

  /** Alertmanager's group key shape: {}:{label="value", ...}. */
  static String groupKey(Map<String, String> groupLabels) {
    StringBuilder key = new StringBuilder("{}:{");
    groupLabels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\", "));
    if (!groupLabels.isEmpty()) {
      key.setLength(key.length() - 2);
    }
    return key.append('}').toString();
  }
}
