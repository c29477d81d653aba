package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.SendOutcome;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiver named by {@code stackpilot.notifier.webhook.*}: one POST of Alertmanager's webhook
 * payload (version 4) per attempt, with the notification id as {@code Idempotency-Key}. What it
 * reports never holds the URL, which often carries a token.
 */
public final class WebhookChannel implements Channel {
  private final String receiver;
  private final URI url;
  private final HttpClient http;
  private final ObjectMapper json;

  public WebhookChannel(String receiver, URI url, HttpClient http, ObjectMapper json) {
    this.receiver = receiver;
    this.url = url;
    this.http = http;
    this.json = json;
  }

  @Override
  public String receiver() {
    return receiver;
  }

  @Override
  public String id() {
    return "webhook/0";
  }

  @Override
  public io.stackpilot.events.Channel kind() {
    return io.stackpilot.events.Channel.WEBHOOK;
  }

  @Override
  public SendOutcome send(Notification notification, String notificationId) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(payload(notification));
    } catch (JsonProcessingException e) {
      return SendOutcome.failed(false, null, "payload not serializable");
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "stackpilot-notifier")
            .header("Idempotency-Key", notificationId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (code >= 200 && code < 300) {
        return SendOutcome.delivered(code, null);
      }
      return SendOutcome.failed(code == 408 || code == 429 || code >= 500, code, "HTTP " + code);
    } catch (IOException e) {
      return SendOutcome.failed(true, null, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.failed(true, null, "interrupted");
    }
  }

  /** Alertmanager's webhook payload, version 4. */
  static Map<String, Object> payload(Notification n) {
    List<Map<String, Object>> alerts = new ArrayList<>();
    Map<String, String> common = null;
    Map<String, String> commonAnnotations = null;
    for (Alert a : concat(n.firing(), n.resolved())) {
      boolean resolved = n.resolved().contains(a);
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("status", resolved ? "resolved" : "firing");
      alert.put("labels", new TreeMap<>(a.labels()));
      alert.put("annotations", new TreeMap<>(a.annotations()));
      alert.put("startsAt", a.startsAt().toString());
      alert.put("endsAt", resolved ? a.endsAt().toString() : "0001-01-01T00:00:00Z");
      alert.put("generatorURL", "");
      alert.put("fingerprint", a.fingerprint());
      alerts.add(alert);
      if (common == null) {
        common = new TreeMap<>(a.labels());
        commonAnnotations = new TreeMap<>(a.annotations());
      } else {
        common.entrySet().retainAll(new HashMap<>(a.labels()).entrySet());
        commonAnnotations.entrySet().retainAll(new HashMap<>(a.annotations()).entrySet());
      }
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("version", "4");
    payload.put("groupKey", n.groupKey());
    payload.put("truncatedAlerts", 0);
    payload.put("status", n.firing().isEmpty() ? "resolved" : "firing");
    payload.put("receiver", n.receiver());
    payload.put("groupLabels", new TreeMap<>(n.groupLabels()));
    payload.put("commonLabels", common == null ? Map.of() : common);
    payload.put("commonAnnotations", commonAnnotations == null ? Map.of() : commonAnnotations);
    payload.put("externalURL", "");
    payload.put("alerts", alerts);
    return payload;
  }

  private static List<Alert> concat(List<Alert> a, List<Alert> b) {
    List<Alert> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
