package io.stackpilot.stackctl;

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
import java.util.List;

/**
 * The planner's REST API as stackctl uses it. Every call answers the HTTP status and the JSON body;
 * an {@link IOException} means the planner could not be reached.
 */
final class PlannerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/v1";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI server;

  PlannerClient(URI server) {
    this.server = server;
  }

  /** The planner's answer: its HTTP status, its JSON body, and the body as it was sent. */
  record Answer(int status, JsonNode body, String raw) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** Who asks and why: sent as headers on mutating calls. A null token sends none. */
  record Caller(String token, String actor, String reason) {}

  Answer declare(String yaml, boolean dryRun, List<String> overrides, String fleet, Caller caller)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("?dryRun=").append(dryRun);
    for (String o : overrides) {
      query.append("&override=").append(encode(o));
    }
    if (fleet != null) {
      query.append("&fleet=").append(encode(fleet));
    }
    return send(
        request("/rollouts" + query, Duration.ofSeconds(60), caller)
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(yaml)));
  }

  Answer rollout(String rolloutId) throws IOException, InterruptedException {
    return get("/rollouts/" + segment(rolloutId));
  }

  Answer rollouts(String stack) throws IOException, InterruptedException {
    return get("/rollouts" + (stack == null ? "" : "?stack=" + encode(stack)));
  }

  /** {@code pause}, {@code resume} or {@code abort} a rollout. */
  Answer command(String rolloutId, String verb, Caller caller)
      throws IOException, InterruptedException {
    return send(
        request(
                "/rollouts/" + segment(rolloutId) + "/" + segment(verb),
                Duration.ofSeconds(30),
                caller)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer putFleet(String name, String yaml, Caller caller)
      throws IOException, InterruptedException {
    return send(
        request("/fleets/" + segment(name), Duration.ofSeconds(30), caller)
            .header("Content-Type", "application/yaml")
            .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
  }

  Answer fleets() throws IOException, InterruptedException {
    return get("/fleets");
  }

  Answer clusters() throws IOException, InterruptedException {
    return get("/clusters");
  }

  private Answer get(String path) throws IOException, InterruptedException {
    return send(request(path, Duration.ofSeconds(30), null).GET());
  }

  private HttpRequest.Builder request(String path, Duration timeout, Caller caller) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(API + path))
            .timeout(timeout)
            .header("Accept", "application/json, application/problem+json");
    if (caller != null) {
      request.header("Stackpilot-Actor", caller.actor());
      if (caller.reason() != null) {
        request.header("Stackpilot-Reason", caller.reason());
      }
      if (caller.token() != null) {
        request.header("Authorization", "Bearer " + caller.token());
      }
    }
    return request;
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String raw = response.body() == null ? "" : response.body();
    JsonNode body;
    try {
      body = JSON.readTree(raw.isBlank() ? "{}" : raw);
    } catch (IOException e) {
      // a proxy's HTML error page, say: keep it readable as the problem's detail
      body = JSON.createObjectNode().put("detail", raw);
    }
    return new Answer(response.statusCode(), body, raw);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A path segment: URLEncoder's form encoding, with spaces as %20 rather than '+'. */
  private static String segment(String value) {
    return encode(value).replace("+", "%20");
  }
}
