package io.stackpilot.registry;

import static io.stackpilot.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves compatibility levels are enforced on registration and reported by /compatibility. */
class CompatibilityIT {

  private static final Schema A = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema A_B =
      record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");
  private static final Schema A_B_DEFAULT =
      record(
          "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");

  private static EmbeddedRegistry registry;
  private static RegistryHttp http;

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"it\",\"fields\":["
                + fields
                + "]}");
  }

  @BeforeAll
  static void start() {
    registry = EmbeddedRegistry.start("_schemas");
    http = registry.http;
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void backwardByDefaultRefusesANewFieldWithoutDefaultUntilTheSubjectSaysNone() {
    assertThat(http.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    http.post("/subjects/orders-value/versions", schemaBody(A));

    RegistryHttp.Answer refused = http.post("/subjects/orders-value/versions", schemaBody(A_B));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.json().get("message").asText()).contains("incompatible", "field 'b'");

    RegistryHttp.Answer set = http.put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
    assertThat(set.body()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(http.get("/config/orders-value").body())
        .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(http.post("/subjects/orders-value/versions", schemaBody(A_B)).status())
        .isEqualTo(200);
    assertThat(http.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  void fullTransitiveChecksEveryEarlierVersionInBothDirections() {
    http.put("/config/chain-value", "{\"compatibility\":\"full_transitive\"}");
    http.post("/subjects/chain-value/versions", schemaBody(A));
    assertThat(http.post("/subjects/chain-value/versions", schemaBody(A_B_DEFAULT)).status())
        .isEqualTo(200);

    // Against v2 alone A_B would be FULL-compatible; against v1 it is not backward.
    RegistryHttp.Answer refused = http.post("/subjects/chain-value/versions", schemaBody(A_B));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("message").asText()).contains("previous schema 1 of 2");

    http.put("/config/chain-value", "{\"compatibility\":\"FULL\"}");
    assertThat(http.post("/subjects/chain-value/versions", schemaBody(A_B)).status())
        .isEqualTo(200);
  }

  @Test
  void compatibilityEndpointAnswersWithoutRegistering() {
    http.post("/subjects/probe-value/versions", schemaBody(A));

    assertThat(
            http.post("/compatibility/subjects/probe-value/versions/latest", schemaBody(A_B))
                .body())
        .isEqualTo("{\"is_compatible\":false}");
    RegistryHttp.Answer verbose =
        http.post(
            "/compatibility/subjects/probe-value/versions/latest?verbose=true", schemaBody(A_B));
    assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().get("messages").get(0).asText())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(
            http.post(
                    "/compatibility/subjects/probe-value/versions/1?verbose=true",
                    schemaBody(A_B_DEFAULT))
                .body())
        .isEqualTo("{\"is_compatible\":true,\"messages\":[]}");
    assertThat(
            http.post("/compatibility/subjects/probe-value/versions/7", schemaBody(A)).errorCode())
        .isEqualTo(40402);
    assertThat(
            http.post("/compatibility/subjects/nobody-value/versions/latest", schemaBody(A)).body())
        .isEqualTo("{\"is_compatible\":true}");
    assertThat(http.get("/subjects/probe-value/versions").body()).isEqualTo("[1]");
  }

  @Test
  void configEndpointsFollowConfluent() {
    assertThat(http.get("/config/fresh-value").errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/fresh-value?defaultToGlobal=true").body())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    RegistryHttp.Answer invalid =
        http.put("/config/fresh-value", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42203);
    assertThat(http.put("/config/fresh-value", "{\"compatibility\":\"FORWARD\"}").status())
        .isEqualTo(200);
    assertThat(http.delete("/config/fresh-value").body())
        .isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
    assertThat(http.get("/config/fresh-value").errorCode()).isEqualTo(40408);
  }
}
