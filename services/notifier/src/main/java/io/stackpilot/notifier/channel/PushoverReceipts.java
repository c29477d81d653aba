package io.stackpilot.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows a Pushover emergency message by its receipt ({@code GET /1/receipts/{receipt}.json}):
 * whether someone acknowledged it, who and when, and whether it expired unacknowledged.
 */
public final class PushoverReceipts {

  /**
   * A receipt's state.
   *
   * @param acknowledgedBy the user key that acknowledged, or null
   * @param acknowledgedAt when, or null
   * @param expired Pushover stopped retrying (expire elapsed)
   */
  public record Acknowledgement(
      boolean acknowledged, String acknowledgedBy, Instant acknowledgedAt, boolean expired) {

    @Override
    public String toString() {
      // the acknowledging user key identifies a person's account: not for logs
      return "Acknowledgement[acknowledged="
          + acknowledged
          + ", acknowledgedAt="
          + acknowledgedAt
          + ", expired="
          + expired
          + "]";
    }
  }

  /** A poll that gave no answer; {@code retryable} as for {@link SendOutcome}. */
  public static final class PollFailedException extends RuntimeException {
    private final boolean retryable;
    private final Integer status;

    PollFailedException(boolean retryable, Integer status, String message) {
      super(message);
      this.retryable = retryable;
      this.status = status;
    }

    public boolean retryable() {
      return retryable;
    }

    public Integer status() {
      return status;
    }
  }

  private final HttpClient http;
  private final URI apiBase;
  private final Credential token;
  private final SecretSource secrets;
  private final Duration timeout;

  PushoverReceipts(
      HttpClient http, URI apiBase, Credential token, SecretSource secrets, Duration timeout) {
    this.http = http;
    this.apiBase = apiBase;
    this.token = token;
    this.secrets = secrets;
    this.timeout = timeout;
  }

  /** The receipts of a Pushover channel, or empty for any other channel. */
  public static Optional<PushoverReceipts> of(Channel channel) {
    return channel instanceof PushoverChannel p ? Optional.of(p.receipts()) : Optional.empty();
  }

  /**
   * The receipt's state now.
   *
   * @throws PollFailedException when Pushover did not answer with it (never names the token)
   */
  public Acknowledgement poll(String receipt) {
    Redactor redactor = new Redactor();
    String value = tokenFor(receipt, redactor);
    URI uri =
        apiBase.resolve(
            "receipts/"
                + receipt
                + ".json?token="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("User-Agent", "stackpilot-notifier")
            .GET()
            .build();
    HttpResponse<String> response = send(request, redactor);
    JsonNode body = PushoverChannel.readJson(response.body());
    if (body.path("status").asInt(0) != 1) {
      throw new PollFailedException(
          false,
          response.statusCode(),
          redactor.redact("Pushover answered: " + body.path("errors")));
    }
    boolean acknowledged = body.path("acknowledged").asInt(0) == 1;
    long at = body.path("acknowledged_at").asLong(0);
    String by = body.path("acknowledged_by").asText("");
    return new Acknowledgement(
        acknowledged,
        acknowledged && !by.isEmpty() ? by : null,
        acknowledged && at > 0 ? Instant.ofEpochSecond(at) : null,
        body.path("expired").asInt(0) == 1);
  }

  /**
   * Stops Pushover's retries of an emergency message ({@code POST
   * /1/receipts/{receipt}/cancel.json}, form {@code token}): after an acknowledgement elsewhere, or
   * once its alerts resolved.
   *
   * @throws PollFailedException when Pushover did not confirm it (never names the token)
   */
  public void cancel(String receipt) {
    Redactor redactor = new Redactor();
    String value = tokenFor(receipt, redactor);
    HttpRequest request =
        HttpRequest.newBuilder(apiBase.resolve("receipts/" + receipt + "/cancel.json"))
            .timeout(timeout)
            .header("User-Agent", "stackpilot-notifier")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
            .build();
    send(request, redactor);
  }

  /** Checks the receipt and resolves the application token, which the redactor then hides. */
  private String tokenFor(String receipt, Redactor redactor) {
    if (receipt == null || !receipt.matches("[A-Za-z0-9]{1,64}")) {
      throw new PollFailedException(false, null, "not a Pushover receipt");
    }
    String value;
    try {
      value = token.resolve(secrets);
    } catch (Credential.MissingSecretException e) {
      throw new PollFailedException(true, null, e.getMessage());
    }
    redactor.secret(value);
    return value;
  }

  /** Sends a receipts call; anything but a 2xx answer is a failure, retriable as Pushover's. */
  private HttpResponse<String> send(HttpRequest request, Redactor redactor) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PollFailedException(true, null, "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new PollFailedException(
          true, null, redactor.redact("connection failed: " + HttpAttempt.describe(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PollFailedException(true, null, "interrupted");
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      throw new PollFailedException(
          status == 408 || status == 429 || status >= 500,
          status,
          redactor.redact("HTTP " + status + ": " + HttpAttempt.excerpt(response.body())));
    }
    return response;
  }

  @Override
  public String toString() {
    return "PushoverReceipts[" + apiBase + ", token " + token + "]";
  }
}
