package io.stackpilot.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  private static final Schema PING =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"t\",\"fields\":"
                  + "[{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"s\",\"type\":\"string\"}]}");

  private final FakeRegistry registry = new FakeRegistry(1);
  private final SchemaRegistryClient client =
      new SchemaRegistryClient("http://registry:8081/", null, registry);

  @Test
  void registersOnceThenAnswersFromTheCache() {
    int id = client.register("orders-value", PING);

    assertThat(client.register("orders-value", PING)).isEqualTo(id);
    assertThat(client.getById(id)).isEqualTo(PING);
    assertThat(registry.calls).hasSize(1);
    FakeRegistry.Call call = registry.calls.get(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).hasToString("http://registry:8081/subjects/orders-value/versions");
    assertThat(call.body()).isEqualTo("{\"schema\":" + quoted(PING.toString()) + "}");
  }

  @Test
  void fetchesSchemasByIdOnceAndParsesThem() {
    int id = registry.preRegister("a-value", PING);

    Schema fetched = client.getById(id);
    assertThat(client.getById(id)).isSameAs(fetched);
    assertThat(fetched).isEqualTo(PING);
    assertThat(registry.calls).hasSize(1);
  }

  @Test
  void looksUpLatestSubjectsAndCompatibility() {
    int id = registry.preRegister("a b/c", PING);

    RegisteredSchema latest = client.latest("a b/c");
    assertThat(latest).isEqualTo(new RegisteredSchema("a b/c", 1, id, PING));
    assertThat(registry.calls.get(0).uri().getRawPath())
        .isEqualTo("/subjects/a%20b%2Fc/versions/latest");
    assertThat(client.subjects()).containsExactly("a b/c");
    assertThat(client.testCompatibility("a b/c", PING)).isTrue();
    assertThat(client.lookupId("a b/c", PING)).isEqualTo(id);
  }

  @Test
  void mapsConfluentErrorBodies() {
    assertThatThrownBy(() -> client.lookupId("missing-value", PING))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40401);
              assertThat(e.getMessage())
                  .contains("http://registry:8081/subjects/missing-value", "40401", "not found");
            });
    assertThatThrownBy(() -> client.getById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void usesTheHttpStatusWhenTheErrorIsNotConfluentJson() {
    SchemaRegistryClient proxied =
        new SchemaRegistryClient(
            "http://registry:8081",
            null,
            (method, uri, body, auth) ->
                new SchemaRegistryClient.Transport.Response(502, "<html>Bad gateway</html>"));

    assertThatThrownBy(() -> proxied.getById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(502);
              assertThat(e.errorCode()).isEqualTo(502);
              assertThat(e.getMessage()).contains("Bad gateway");
            });
  }

  @Test
  void connectionFailuresNameTheUrlWithErrorCodeMinusOne() {
    SchemaRegistryClient offline =
        new SchemaRegistryClient(
            "http://registry:8081",
            null,
            (method, uri, body, auth) -> {
              throw new ConnectException("Connection refused");
            });

    assertThatThrownBy(() -> offline.subjects())
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(-1);
              assertThat(e.httpStatus()).isEqualTo(-1);
              assertThat(e.getMessage()).contains("http://registry:8081/subjects", "refused");
            });
  }

  @Test
  void triesTheNextUrlWhenOneIsUnreachable() {
    SchemaRegistryClient failover =
        new SchemaRegistryClient(
            "http://down:8081,http://up:8081",
            null,
            (method, uri, body, auth) -> {
              if (uri.getHost().equals("down")) {
                throw new ConnectException("Connection refused");
              }
              return registry.exchange(method, uri, body, auth);
            });

    assertThat(failover.register("x-value", PING)).isEqualTo(1);
  }

  @Test
  void sendsUrlCredentialsAsBasicAuthAndNeverShowsThem() {
    SchemaRegistryClient secured =
        new SchemaRegistryClient("https://alice:s3cr%40t@registry:8443", null, registry);

    assertThat(secured.url()).isEqualTo("https://registry:8443");
    assertThatThrownBy(() -> secured.getById(42))
        .hasMessageContaining("https://registry:8443/schemas/ids/42")
        .hasMessageNotContaining("alice")
        .hasMessageNotContaining("s3cr");
    FakeRegistry.Call call = registry.calls.get(0);
    assertThat(call.uri().getRawUserInfo()).isNull();
    assertThat(call.authorization()).isEqualTo(basic("alice:s3cr@t"));
  }

  @Test
  void explicitUserInfoWinsOverTheUrl() {
    SchemaRegistryClient secured =
        new SchemaRegistryClient("http://u:p@registry:8081", "bob:pw", registry);

    secured.subjects();

    assertThat(registry.calls.get(0).authorization()).isEqualTo(basic("bob:pw"));
  }

  @Test
  void rejectsAnUnparseableUrlWithoutEchoingCredentials() {
    assertThatThrownBy(() -> new SchemaRegistryClient("ftp://carol:hunter2@registry"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("***@registry");
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\"", "\\\"") + "\"";
  }
}
