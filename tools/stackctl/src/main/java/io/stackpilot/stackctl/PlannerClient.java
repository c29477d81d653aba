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

/** The planner's REST API as stackctl uses it. */
final class PlannerClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI server;

  PlannerClient(URI server) {
    this.server = server;
  }

  /** The planner's answer: its HTTP status and JSON body. */
  record Answer(int status, JsonNode body) {}

  Answer declare(
      String yaml,
      boolean dryRun,
      List<String> overrides,
      String token,
      String actor,
      String reason)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("?dryRun=").append(dryRun);
    for (String o : overrides) {
      query.append("&override=").append(URLEncoder.encode(o, StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve("/api/v1/rollouts" + query))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/yaml")
            .header("Stackpilot-Actor", actor)
            .POST(HttpRequest.BodyPublishers.ofString(yaml));
    if (reason != null) {
      request.header("Stackpilot-Reason", reason);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      body = JSON.createObjectNode().put("detail", response.body());
    }
    return new Answer(response.statusCode(), body);
  }
}
