package io.stackpilot.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs a JSON payload to a webhook, a bounded number of times with exponential backoff. Messages
 * it returns never contain the URL: webhook URLs often carry their token.
 */
class WebhookSender {
  private final HttpClient http;
  private final ObjectMapper json;
  private final int maxAttempts;
  private final Duration initialBackoff;

  WebhookSender(ObjectMapper json, int maxAttempts, Duration initialBackoff, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.json = json;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
  }

  /** What happened: delivered or not, after how many attempts, the last status or error. */
  record Outcome(
      boolean delivered, int attempts, Integer status, String error, boolean retriable) {}

  Outcome send(URI url, Map<String, Object> payload) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      return new Outcome(
          false, 0, null, "payload not serializable: " + e.getOriginalMessage(), false);
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "stackpilot-notifier")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    Outcome last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      last = attempt(request, attempt);
      if (last.delivered() || !last.retriable()) {
        return last;
      }
      backoff(attempt);
    }
    return last;
  }

  private Outcome attempt(HttpRequest request, int attempt) {
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int code = response.statusCode();
      if (code >= 200 && code < 300) {
        return new Outcome(true, attempt, code, null, false);
      }
      boolean retriable = code == 429 || code >= 500;
      return new Outcome(false, attempt, code, "HTTP " + code, retriable);
    } catch (IOException e) {
      return new Outcome(false, attempt, null, e.getClass().getSimpleName(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, attempt, null, "interrupted", true);
    }
  }

  private void backoff(int attempt) {
    long millis = initialBackoff.toMillis() << (attempt - 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
