package io.stackpilot.registry;

import static io.stackpilot.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.serde.RegisteredSchema;
import io.stackpilot.serde.SchemaRegistryClient;
import io.stackpilot.serde.SchemaRegistryException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the Confluent REST API on a real broker: ids, versions, lookups and their 404 codes. */
class RegistryApiIT {

  private static final Schema USER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"it\",\"fields\":"
                  + "[{\"name\":\"name\",\"type\":\"string\"}]}");
  private static final Schema USER_V2 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"it\",\"fields\":"
                  + "[{\"name\":\"name\",\"type\":\"string\"},"
                  + "{\"name\":\"age\",\"type\":[\"null\",\"int\"],\"default\":null}]}");

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

  @Test
  void registrationIsIdempotentAndIdsAreGlobalAcrossSubjects() {
    RegistryHttp.Answer first = http.post("/subjects/users-value/versions", schemaBody(USER));
    RegistryHttp.Answer again = http.post("/subjects/users-value/versions", schemaBody(USER));
    RegistryHttp.Answer other = http.post("/subjects/people-value/versions", schemaBody(USER));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).startsWith(RegistryHttp.V1);
    int id = first.json().get("id").asInt();
    assertThat(again.json().get("id").asInt()).isEqualTo(id);
    assertThat(other.json().get("id").asInt()).isEqualTo(id);
    assertThat(http.get("/subjects/users-value/versions").json()).hasSize(1);
    assertThat(http.get("/schemas/ids/" + id + "/versions").body())
        .contains(
            "{\"subject\":\"users-value\",\"version\":1}",
            "{\"subject\":\"people-value\",\"version\":1}");
  }

  @Test
  void latestVersionAndSchemaById() {
    int v1 =
        http.post("/subjects/evolving-value/versions", schemaBody(USER)).json().get("id").asInt();
    int v2 =
        http.post("/subjects/evolving-value/versions", schemaBody(USER_V2))
            .json()
            .get("id")
            .asInt();

    RegistryHttp.Answer latest = http.get("/subjects/evolving-value/versions/latest");
    assertThat(latest.json().get("subject").asText()).isEqualTo("evolving-value");
    assertThat(latest.json().get("version").asInt()).isEqualTo(2);
    assertThat(latest.json().get("id").asInt()).isEqualTo(v2);
    assertThat(new Schema.Parser().parse(latest.json().get("schema").asText())).isEqualTo(USER_V2);
    assertThat(http.get("/subjects/evolving-value/versions/1").json().get("id").asInt())
        .isEqualTo(v1);
    assertThat(http.get("/subjects/evolving-value/versions").body()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects/evolving-value/versions/2/schema").body())
        .isEqualTo(USER_V2.toString());
    assertThat(http.get("/schemas/ids/" + v1).json().get("schema").asText())
        .isEqualTo(USER.toString());
    assertThat(http.get("/subjects").json()).extracting(n -> n.asText()).contains("evolving-value");

    RegistryHttp.Answer lookup = http.post("/subjects/evolving-value", schemaBody(USER));
    assertThat(lookup.json().get("version").asInt()).isEqualTo(1);
    assertThat(lookup.json().get("id").asInt()).isEqualTo(v1);
  }

  @Test
  void notFoundAnswersCarryConfluentErrorCodes() {
    http.post("/subjects/known-value/versions", schemaBody(USER));

    RegistryHttp.Answer noSubject = http.get("/subjects/unknown-value/versions/latest");
    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.contentType()).startsWith(RegistryHttp.V1);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noSubject.json().get("message").asText()).contains("unknown-value");
    assertThat(http.get("/subjects/known-value/versions/42").errorCode()).isEqualTo(40402);
    assertThat(http.get("/schemas/ids/424242").errorCode()).isEqualTo(40403);
    assertThat(http.post("/subjects/unknown-value", schemaBody(USER)).errorCode()).isEqualTo(40401);
    assertThat(http.post("/subjects/known-value", schemaBody(USER_V2)).errorCode())
        .isEqualTo(40403);
  }

  @Test
  void softDeleteHidesButKeepsIds() {
    int id =
        http.post("/subjects/doomed-value/versions", schemaBody(USER)).json().get("id").asInt();

    assertThat(http.delete("/subjects/doomed-value").body()).isEqualTo("[1]");
    assertThat(http.get("/subjects/doomed-value/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/subjects/doomed-value/versions?deleted=true").body()).isEqualTo("[1]");
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/doomed-value").errorCode()).isEqualTo(40404);
    assertThat(http.delete("/subjects/doomed-value?permanent=true").errorCode()).isEqualTo(42205);
  }

  @Test
  void theSerdeClientSpeaksToIt() {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());

    int id = client.register("client-value", USER);

    assertThat(client.lookupId("client-value", USER)).isEqualTo(id);
    assertThat(new SchemaRegistryClient(registry.url()).getById(id)).isEqualTo(USER);
    assertThat(client.latest("client-value"))
        .isEqualTo(new RegisteredSchema("client-value", 1, id, USER));
    assertThat(client.subjects()).contains("client-value");
    // Subjects may hold characters that need encoding, '/' included.
    assertThat(client.register("team a/orders-value", USER)).isEqualTo(id);
    assertThat(client.latest("team a/orders-value").subject()).isEqualTo("team a/orders-value");
    assertThat(client.testCompatibility("client-value", USER_V2)).isTrue();
    assertThat(client.testCompatibility("never-registered-value", USER_V2)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getById(999_999))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40403);
            });
  }

  @Test
  void runsWithoutKafkaAutoConfigurationOrApplicationYaml() {
    // Kafka auto-configuration is on this test classpath, and src/test/resources/application.yml
    // exposes all actuator endpoints: neither may leak into an embedded registry.
    assertThat(Arrays.asList(registry.app.getBeanDefinitionNames()))
        .noneMatch(name -> name.toLowerCase().contains("autoconfigure.kafka"));
    assertThat(http.get("/actuator/beans").status()).isEqualTo(404);
    assertThat(http.send("GET", "/actuator/health/readiness", null, null, "*/*").body())
        .contains("\"UP\"");
    assertThat(http.send("GET", "/actuator/health", null, null, "*/*").body())
        .contains("registryStore");
  }
}
