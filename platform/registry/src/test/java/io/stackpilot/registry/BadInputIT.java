package io.stackpilot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves that bad requests get a 4xx with Confluent's error JSON, never a 5xx or an HTML page. */
class BadInputIT {

  private static EmbeddedRegistry registry;
  private static RegistryHttp http;

  @BeforeAll
  static void start() {
    registry = EmbeddedRegistry.start("_schemas");
    http = registry.http;
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static void assertError(
      RegistryHttp.Answer answer, int status, int errorCode, String text) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith(RegistryHttp.V1);
    assertThat(answer.errorCode()).isEqualTo(errorCode);
    assertThat(answer.json().get("message").asText()).contains(text);
  }

  @Test
  void invalidSchemasAre42201() {
    assertError(
        http.post(
            "/subjects/x-value/versions",
            RegistryHttp.schemaBody("{\"type\":\"record\",\"name\":\"R\"}")),
        422,
        42201,
        "Invalid schema");
    assertError(
        http.post("/subjects/x-value/versions", RegistryHttp.schemaBody("{\"type\":\"nonsense\"}")),
        422,
        42201,
        "Invalid schema");
    assertError(
        http.post(
            "/subjects/x-value/versions",
            RegistryHttp.schemaBody(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}")),
        422,
        42201,
        "Invalid schema");
    assertError(
        http.post(
            "/subjects/x-value/versions",
            "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"),
        422,
        42201,
        "only AVRO");
    assertError(
        http.post(
            "/subjects/x-value/versions",
            "{\"schema\":\"\\\"int\\\"\",\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}]}"),
        422,
        42201,
        "references");
    assertError(
        http.post("/subjects/x-value/versions", "{\"schema\":{\"type\":\"int\"}}"),
        422,
        42201,
        "string");
    assertError(http.post("/subjects/x-value/versions", "{}"), 422, 42201, "missing");
  }

  @Test
  void malformedBodiesAre400() {
    assertError(
        http.post("/subjects/x-value/versions", "{\"schema\": "), 400, 400, "Malformed JSON");
    assertError(http.post("/subjects/x-value/versions", "[1,2]"), 400, 400, "JSON object");
    assertError(http.post("/subjects/x-value/versions", ""), 400, 400, "empty");
    assertError(http.put("/config", "not json"), 400, 400, "Malformed JSON");
    assertError(http.put("/config", "{}"), 422, 42203, "Invalid compatibility level");
  }

  @Test
  void anyContentTypeIsAcceptedForJsonBodies() {
    String body = RegistryHttp.schemaBody("\"string\"");
    for (String type :
        new String[] {
          "application/json",
          "application/vnd.schemaregistry+json",
          "application/octet-stream",
          "text/plain"
        }) {
      assertThat(
              http.send("POST", "/subjects/types-value/versions", body, type, "application/json")
                  .status())
          .as(type)
          .isEqualTo(200);
    }
    RegistryHttp.Answer plainJson = http.send("GET", "/subjects", null, null, "application/json");
    assertThat(plainJson.contentType()).startsWith("application/json");
    RegistryHttp.Answer anything = http.send("GET", "/subjects", null, null, "*/*");
    assertThat(anything.contentType()).startsWith(RegistryHttp.V1);
  }

  @Test
  void wrongPathsMethodsAndParametersAreJsonErrors() {
    assertError(http.get("/subjects/x-value/versions/abc"), 422, 42202, "not a valid version");
    assertError(http.get("/schemas/ids/abc"), 404, 40403, "abc");
    assertError(http.get("/no/such/path"), 404, 404, "Not Found");
    assertError(
        http.send("PATCH", "/subjects", "{}", RegistryHttp.V1, RegistryHttp.V1), 405, 405, "PATCH");
    assertError(http.get("/subjects/a%2Fb/versions"), 404, 40401, "'a/b'");
    assertError(http.get("/subjects?deleted=maybe"), 400, 400, "maybe");
    RegistryHttp.Answer unacceptable = http.send("GET", "/subjects", null, null, "text/html");
    assertThat(unacceptable.status()).isEqualTo(406);
  }
}
