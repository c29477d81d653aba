package io.stackpilot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ConfigurableApplicationContext;

/** The planner's REST API as the e2e tests call it: declare a stack, read a rollout. */
final class PlannerApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String base;
  private final String token;

  PlannerApi(ConfigurableApplicationContext planner, String token) {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** POST /api/v1/rollouts{query} with the YAML, as user:e2e with the API token. */
  HttpResponse<String> declare(String yaml, String query, String reason)
      throws IOException, InterruptedException {
    return declare(yaml, query, "user:e2e", reason);
  }

  /** POST /api/v1/rollouts{query} with the YAML, as {@code actor} with the API token. */
  HttpResponse<String> declare(String yaml, String query, String actor, String reason)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/rollouts" + query))
            .header("Content-Type", "application/yaml")
            .header("Authorization", "Bearer " + token)
            .header("Stackpilot-Actor", actor)
            .header("Stackpilot-Reason", reason)
            .POST(HttpRequest.BodyPublishers.ofString(yaml))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** GET {path}, e.g. /api/v1/rollouts/{id}. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The rollout id of a 202 answer. */
  static String rolloutId(HttpResponse<String> accepted) {
    return accepted.body().replaceAll(".*\"rolloutId\":\"([^\"]+)\".*", "$1");
  }
}
