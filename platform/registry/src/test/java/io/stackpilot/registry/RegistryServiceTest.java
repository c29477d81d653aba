package io.stackpilot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.serde.CompatibilityLevel;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Confluent's registry semantics, checked against an in-memory store (no broker). */
class RegistryServiceTest {

  private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema V2_DEFAULT =
      record(
          "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
  private static final Schema V2_NO_DEFAULT =
      record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");

  private final RegistryState state = new RegistryState();
  private final InMemoryStore store = new InMemoryStore(state);
  private final RegistryService registry = new RegistryService(state, store);

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
  }

  @Test
  void registrationIsIdempotentAndIdsAreGlobal() {
    int id = registry.register("a-value", V1);

    assertThat(registry.register("a-value", V1)).isEqualTo(id);
    assertThat(registry.register("b-value", V1)).isEqualTo(id);
    assertThat(registry.register("a-value", V2_DEFAULT)).isEqualTo(id + 1);
    assertThat(store.log).hasSize(3);
    assertThat(registry.versions("a-value", false)).containsExactly(1, 2);
    assertThat(registry.usages(id, false))
        .extracting(SchemaVersion::subject)
        .containsExactly("a-value", "b-value");
  }

  @Test
  void whitespaceAndKeyOrderDoNotMakeANewSchema() {
    int id = registry.register("a-value", V1);
    Schema reordered =
        new Schema.Parser()
            .parse(
                "{ \"namespace\" : \"t\", \"fields\" : [ {\"type\":\"int\", \"name\":\"a\"} ],"
                    + " \"name\":\"R\", \"type\":\"record\" }");

    assertThat(registry.register("a-value", reordered)).isEqualTo(id);
    assertThat(registry.lookup("a-value", reordered, false).version()).isEqualTo(1);
  }

  @Test
  void refusesIncompatibleSchemasUnderTheDefaultLevel() {
    registry.register("a-value", V1);

    assertThatThrownBy(() -> registry.register("a-value", V2_NO_DEFAULT))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.error()).isEqualTo(RegistryError.INCOMPATIBLE_SCHEMA);
              assertThat(e.getMessage()).contains("BACKWARD", "field 'b'");
            });

    registry.setSubjectLevel("a-value", "none");
    assertThat(registry.register("a-value", V2_NO_DEFAULT)).isEqualTo(2);
  }

  @Test
  void softDeleteHidesVersionsButKeepsIdsAndVersionNumbers() {
    int id = registry.register("a-value", V1);
    registry.register("a-value", V2_DEFAULT);

    assertThat(registry.deleteVersion("a-value", "2", false)).isEqualTo(2);
    assertThat(registry.versions("a-value", false)).containsExactly(1);
    assertThat(registry.versions("a-value", true)).containsExactly(1, 2);
    assertThat(registry.deleteSubject("a-value", false)).containsExactly(1);
    assertThat(registry.subjects(false)).isEmpty();
    assertThat(registry.subjects(true)).containsExactly("a-value");
    assertThat(registry.schemaById(id)).isEqualTo(V1.toString());
    assertError(() -> registry.deleteSubject("a-value", false), RegistryError.SUBJECT_SOFT_DELETED);
    assertError(() -> registry.version("a-value", "1", false), RegistryError.SUBJECT_NOT_FOUND);
    assertThat(registry.version("a-value", "1", true).deleted()).isTrue();

    // Re-registering after a delete: same id, next version number.
    assertThat(registry.register("a-value", V1)).isEqualTo(id);
    assertThat(registry.versions("a-value", false)).containsExactly(3);
  }

  @Test
  void permanentDeletesAreRefused() {
    registry.register("a-value", V1);

    assertError(
        () -> registry.deleteSubject("a-value", true), RegistryError.OPERATION_NOT_PERMITTED);
    assertError(
        () -> registry.deleteVersion("a-value", "1", true), RegistryError.OPERATION_NOT_PERMITTED);
  }

  @Test
  void answersConfluentErrorsForMissingThings() {
    registry.register("a-value", V1);

    assertError(() -> registry.versions("nope", false), RegistryError.SUBJECT_NOT_FOUND);
    assertError(() -> registry.version("a-value", "9", false), RegistryError.VERSION_NOT_FOUND);
    assertError(() -> registry.version("a-value", "0", false), RegistryError.INVALID_VERSION);
    assertError(() -> registry.version("a-value", "x", false), RegistryError.INVALID_VERSION);
    assertError(() -> registry.schemaById(99), RegistryError.SCHEMA_NOT_FOUND);
    assertError(
        () -> registry.lookup("a-value", V2_DEFAULT, false), RegistryError.SCHEMA_NOT_FOUND);
    assertError(
        () -> registry.subjectLevel("a-value", false), RegistryError.SUBJECT_CONFIG_NOT_FOUND);
    assertError(
        () -> registry.setGlobalLevel("sideways"), RegistryError.INVALID_COMPATIBILITY_LEVEL);
    assertError(() -> registry.setGlobalLevel(null), RegistryError.INVALID_COMPATIBILITY_LEVEL);
  }

  @Test
  void configScopesFallBackToGlobal() {
    assertThat(registry.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
    registry.setGlobalLevel("FULL");
    assertThat(registry.subjectLevel("x", true)).isEqualTo(CompatibilityLevel.FULL);
    registry.setSubjectLevel("x", "forward_transitive");
    assertThat(registry.subjectLevel("x", false)).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(registry.deleteSubjectLevel("x")).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(registry.subjectLevel("x", true)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.resetGlobalLevel()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void replayingTheStoreRebuildsTheSameState() {
    registry.register("a-value", V1);
    registry.register("a-value", V2_DEFAULT);
    registry.register("b-value", V2_DEFAULT);
    registry.deleteVersion("a-value", "1", false);
    registry.setSubjectLevel("b-value", "FULL");

    RegistryService restarted = new RegistryService(store.replay(), store);

    assertThat(restarted.versions("a-value", true)).containsExactly(1, 2);
    assertThat(restarted.versions("a-value", false)).containsExactly(2);
    assertThat(restarted.version("b-value", "latest", false).id()).isEqualTo(2);
    assertThat(restarted.subjectLevel("b-value", false)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(restarted.register("c-value", record("{\"name\":\"z\",\"type\":\"long\"}")))
        .isEqualTo(3);
  }

  @Test
  void skipsForeignAndUnreadableRecords() {
    state.apply(bytes("not json"), bytes("{}"), 0);
    state.apply(bytes("{\"keytype\":\"MODE\",\"magic\":0}"), bytes("{\"mode\":\"READONLY\"}"), 1);
    state.apply(
        bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}"),
        bytes(
            "{\"subject\":\"p\",\"version\":1,\"id\":5,\"schema\":\"syntax=proto3;\",\"schemaType\":\"PROTOBUF\"}"),
        2);
    state.apply(
        bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"q\",\"version\":1,\"magic\":1}"),
        bytes("{\"subject\":\"q\",\"version\":1,\"id\":6,\"schema\":\"{broken\"}"),
        3);

    assertThat(registry.subjects(true)).isEmpty();
    // Ids taken by records this registry cannot use are still never reissued.
    assertThat(registry.register("a-value", V1)).isEqualTo(7);
  }

  @Test
  void storeKeysAreStableBytes() {
    assertThat(
            new String(StoreRecords.write(StoreRecords.Key.schema("s", 3)), StandardCharsets.UTF_8))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":3,\"magic\":1}");
    assertThat(
            new String(StoreRecords.write(StoreRecords.Key.config(null)), StandardCharsets.UTF_8))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"magic\":0}");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertError(Runnable call, RegistryError expected) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.error()).isEqualTo(expected));
  }
}
