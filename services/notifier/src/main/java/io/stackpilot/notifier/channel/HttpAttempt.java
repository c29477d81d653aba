package io.stackpilot.notifier.channel;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Function;

/**
 * One HTTP request and what it gave, as a {@link SendOutcome}: 2xx is handed to the channel, 408,
 * 429 and 5xx are retryable, other statuses are refusals; timeouts and connection errors are
 * retryable. Every detail goes through the attempt's {@link Redactor}.
 */
final class HttpAttempt {

  private static final int MAX_DETAIL = 300;

  private HttpAttempt() {}

  static SendOutcome send(
      HttpClient http,
      HttpRequest request,
      Duration timeout,
      Redactor redactor,
      Function<HttpResponse<String>, SendOutcome> onSuccess) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return SendOutcome.failed(true, null, "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return SendOutcome.failed(true, null, redactor.redact("connection failed: " + describe(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.failed(true, null, "interrupted before an answer");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return onSuccess.apply(response);
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    String retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .map(v -> " (Retry-After: " + v + ")")
            .orElse("");
    return SendOutcome.failed(
        retryable,
        status,
        redactor.redact("HTTP " + status + retryAfter + ": " + excerpt(response.body())));
  }

  /** The start of a response body, on one line, bounded. */
  static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String line = body.strip().replaceAll("\\s+", " ");
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
