package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** Fleets, rollout status and commands through the REST API, on the real broker. */
@ExtendWith(RealKafkaExtension.class)
class RolloutApiIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static ConfigurableApplicationContext planner;

  @BeforeAll
  static void start(KafkaBroker broker, SchemaRegistry registry) {
    planner = PlannerApplication.builder().run(ServiceArgs.of(broker, registry));
  }

  @AfterAll
  static void stop() {
    planner.close();
  }

  @Test
  void aRegisteredFleetTakesStacksAndARolloutIsPausedResumedAndAborted() throws Exception {
    String spec = RolloutOrchestrationIT.spec("halt");
    String fleetName = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
    String fleet = spec.split("\n---\n")[1].replace("name: ten", "name: " + fleetName);
    String stack = spec.split("\n---\n")[0];

    assertThat(send("PUT", "/api/v1/fleets/" + fleetName, fleet, null).statusCode()).isEqualTo(401);
    HttpResponse<String> misnamed =
        send("PUT", "/api/v1/fleets/other", fleet, ServiceArgs.API_TOKEN);
    assertThat(misnamed.statusCode()).isEqualTo(400);
    assertThat(misnamed.body()).contains("fleet.metadata.name");
    HttpResponse<String> registered =
        send("PUT", "/api/v1/fleets/" + fleetName, fleet, ServiceArgs.API_TOKEN);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    assertThat(json(registered).path("clusters")).hasSize(10);
    assertThat(get("/api/v1/fleets").path("fleets").findValuesAsText("name")).contains(fleetName);

    HttpResponse<String> unknownFleet =
        send("POST", "/api/v1/rollouts?fleet=nope", stack, ServiceArgs.API_TOKEN);
    assertThat(unknownFleet.statusCode()).isEqualTo(400);
    assertThat(unknownFleet.body()).contains("\"field\":\"fleet\"");
    HttpResponse<String> accepted =
        send("POST", "/api/v1/rollouts?fleet=" + fleetName, stack, ServiceArgs.API_TOKEN);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String rolloutId = json(accepted).path("rolloutId").asText();
    assertThat(json(accepted).path("diff")).hasSize(30);

    HttpResponse<String> busy =
        send("POST", "/api/v1/rollouts?fleet=" + fleetName, stack, ServiceArgs.API_TOKEN);
    assertThat(busy.statusCode()).isEqualTo(409);
    assertThat(json(busy).path("rolloutId").asText()).isEqualTo(rolloutId);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> get("/api/v1/rollouts/" + rolloutId).path("phase").asText(),
            "PROGRESSING"::equals);
    JsonNode paused = json(command(rolloutId, "pause", 200));
    assertThat(paused.path("phase").asText()).isEqualTo("PAUSED");
    assertThat(paused.path("transitions").findValuesAsText("actor")).contains("user:it");
    assertThat(json(command(rolloutId, "pause", 409)).path("phase").asText()).isEqualTo("PAUSED");
    assertThat(json(command(rolloutId, "resume", 200)).path("phase").asText())
        .isEqualTo("PROGRESSING");
    assertThat(json(command(rolloutId, "abort", 200)).path("phase").asText()).isEqualTo("ABORTED");
    command(rolloutId, "resume", 409);
    command("no-such-rollout", "pause", 404);
    assertThat(send("GET", "/api/v1/rollouts/no-such-rollout", null, null).statusCode())
        .isEqualTo(404);

    // an aborted rollout no longer holds the stack
    HttpResponse<String> again =
        send("POST", "/api/v1/rollouts?fleet=" + fleetName, stack, ServiceArgs.API_TOKEN);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    assertThat(get("/api/v1/rollouts").path("rollouts").findValuesAsText("rolloutId"))
        .contains(rolloutId, json(again).path("rolloutId").asText());
    assertThat(get("/api/v1/clusters").path("clusters").findValuesAsText("fleet"))
        .contains(fleetName);
  }

  @Test
  void twoDeclarationsOfOneStackAtOnceStartOneRollout() throws Exception {
    String spec = RolloutOrchestrationIT.spec("halt");
    var first = CompletableFuture.supplyAsync(() -> post(spec));
    var second = CompletableFuture.supplyAsync(() -> post(spec));

    assertThat(List.of(first.get().statusCode(), second.get().statusCode()))
        .containsExactlyInAnyOrder(202, 409);
  }

  private static HttpResponse<String> post(String spec) {
    try {
      return send("POST", "/api/v1/rollouts", spec, ServiceArgs.API_TOKEN);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> command(String rolloutId, String verb, int expected)
      throws Exception {
    HttpResponse<String> response =
        send("POST", "/api/v1/rollouts/" + rolloutId + "/" + verb, "", ServiceArgs.API_TOKEN);
    assertThat(response.statusCode()).as(verb + ": " + response.body()).isEqualTo(expected);
    return response;
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send("GET", path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/yaml")
            .header("Stackpilot-Actor", "user:it")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
