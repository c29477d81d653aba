package io.stackpilot.registry;

import static io.stackpilot.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the topic is the state: a new registry on the same topic answers the same ids and
 * versions.
 */
class RestartIT {

  private static EmbeddedRegistry registry;

  @BeforeAll
  static void start() {
    registry = EmbeddedRegistry.start("_schemas_restart");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static Schema record(String name) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\""
                + name
                + "\",\"namespace\":\"it\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
  }

  @Test
  void idsVersionsAndConfigSurviveARestart() {
    RegistryHttp before = registry.http;
    int a =
        before.post("/subjects/a-value/versions", schemaBody(record("A"))).json().get("id").asInt();
    int b =
        before.post("/subjects/b-value/versions", schemaBody(record("B"))).json().get("id").asInt();
    before.put("/config/b-value", "{\"compatibility\":\"NONE\"}");
    int b2 =
        before
            .post("/subjects/b-value/versions", schemaBody(record("B2")))
            .json()
            .get("id")
            .asInt();
    before.delete("/subjects/a-value");
    String oldUrl = registry.url();

    registry.stopApp();
    registry.startApp("_schemas_restart");
    RegistryHttp after = registry.http;

    assertThat(registry.url()).isNotEqualTo(oldUrl);
    assertThat(after.get("/schemas/ids/" + a).json().get("schema").asText())
        .isEqualTo(record("A").toString());
    assertThat(after.get("/subjects/b-value/versions/1").json().get("id").asInt()).isEqualTo(b);
    assertThat(after.get("/subjects/b-value/versions/latest").json().get("id").asInt())
        .isEqualTo(b2);
    assertThat(after.get("/subjects/b-value/versions").body()).isEqualTo("[1,2]");
    assertThat(after.get("/config/b-value").body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(after.get("/subjects").body()).isEqualTo("[\"b-value\"]");
    // Same schema → same id; re-registering a deleted subject continues its version numbers.
    assertThat(
            after
                .post("/subjects/a-value/versions", schemaBody(record("A")))
                .json()
                .get("id")
                .asInt())
        .isEqualTo(a);
    assertThat(after.get("/subjects/a-value/versions").body()).isEqualTo("[2]");
    int next =
        after.post("/subjects/c-value/versions", schemaBody(record("C"))).json().get("id").asInt();
    assertThat(next).isEqualTo(Math.max(a, Math.max(b, b2)) + 1);
  }
}
