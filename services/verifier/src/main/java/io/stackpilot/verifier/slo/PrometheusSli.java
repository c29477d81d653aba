package io.stackpilot.verifier.slo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SLI as a ratio of two PromQL queries, the way Sloth declares it: an error query and a total
 * query with a {@code {{.window}}} placeholder, asked of a Prometheus (or Mimir, Thanos Query: the
 * same HTTP API) with an instant query per window, at one evaluation instant so every window is
 * measured at the same moment.
 *
 * <p>A window without events (an empty result, or 0/0) is NaN: nothing burnt. A query that returns
 * more than one series is refused: an SLI must aggregate to one ratio ({@code sum(...)}).
 */
public final class PrometheusSli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final String tenant;

  /**
   * @param base the Prometheus HTTP API's base URL (without {@code /api/v1})
   */
  public PrometheusSli(URI base, HttpClient http, Duration timeout) {
    this(base, http, timeout, null);
  }

  /**
   * @param tenant sent as X-Scope-OrgID when not null: a Mimir or Thanos that holds many clusters'
   *     series answers for that tenant's only
   */
  public PrometheusSli(URI base, HttpClient http, Duration timeout, String tenant) {
    this.base = base;
    this.http = http;
    this.timeout = timeout;
    this.tenant = tenant;
  }

  /** Why an SLI could not be measured: Prometheus unreachable, or the query refused. */
  public static final class SliException extends RuntimeException {
    SliException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The error ratio over each window at {@code at}, in the order of {@code windows}. */
  public Map<Duration, Double> errorRatios(
      String errorQuery, String totalQuery, List<Duration> windows, Instant at) {
    Map<Duration, Double> out = new LinkedHashMap<>();
    for (Duration window : windows) {
      String w = promDuration(window);
      String ratio =
          "("
              + errorQuery.replace("{{.window}}", w)
              + ") / ("
              + totalQuery.replace("{{.window}}", w)
              + ")";
      out.put(window, instant(ratio, at));
    }
    return out;
  }

  /** One instant query's single value; NaN when it has no series. */
  double instant(String promql, Instant at) {
    URI uri =
        base.resolve(
            "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + at.getEpochSecond());
    HttpResponse<String> response;
    try {
      response = http.send(request(uri), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SliException(
          "Prometheus at " + base + " did not answer: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SliException("interrupted asking " + base, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SliException(
          "Prometheus at " + base + " answered " + response.statusCode() + " without JSON", e);
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new SliException(
          "Prometheus at "
              + base
              + " refused the query ("
              + response.statusCode()
              + " "
              + body.path("errorType").asText()
              + "): "
              + body.path("error").asText(),
          null);
    }
    JsonNode result = body.path("data").path("result");
    if (result.isEmpty()) {
      return Double.NaN;
    }
    if (result.size() > 1) {
      throw new SliException(
          "the SLI query returns "
              + result.size()
              + " series, not one ratio (aggregate it with sum): "
              + promql,
          null);
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return b.build();
  }

  /** A window in PromQL's duration syntax: 5m, 1h, 3d, 30d. */
  static String promDuration(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
