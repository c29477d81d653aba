package io.stackpilot.serde;

import static io.stackpilot.serde.CompatibilityLevel.BACKWARD;
import static io.stackpilot.serde.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static io.stackpilot.serde.CompatibilityLevel.FORWARD;
import static io.stackpilot.serde.CompatibilityLevel.FORWARD_TRANSITIVE;
import static io.stackpilot.serde.CompatibilityLevel.FULL;
import static io.stackpilot.serde.CompatibilityLevel.FULL_TRANSITIVE;
import static io.stackpilot.serde.CompatibilityLevel.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroCompatibilityTest {

  private static final Schema A = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema A_LONG = record("{\"name\":\"a\",\"type\":\"long\"}");
  private static final Schema A_STRING = record("{\"name\":\"a\",\"type\":\"string\"}");
  private static final Schema A_B = record(A_FIELD() + ",{\"name\":\"b\",\"type\":\"string\"}");
  private static final Schema A_B_DEFAULT =
      record(A_FIELD() + ",{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");

  private static String A_FIELD() {
    return "{\"name\":\"a\",\"type\":\"int\"}";
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
  }

  private static List<String> check(
      CompatibilityLevel level, Schema candidate, Schema... previous) {
    return AvroCompatibility.check(level, candidate, List.of(previous));
  }

  @ParameterizedTest
  @EnumSource(CompatibilityLevel.class)
  void aFirstSchemaIsAlwaysCompatible(CompatibilityLevel level) {
    assertThat(check(level, A_STRING)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CompatibilityLevel.class)
  void addingAFieldWithADefaultIsCompatibleAtEveryLevel(CompatibilityLevel level) {
    assertThat(check(level, A_B_DEFAULT, A)).isEmpty();
  }

  @Test
  void addingAFieldWithoutDefaultBreaksBackwardButNotForward() {
    List<String> messages = check(BACKWARD, A_B, A);

    assertThat(messages).hasSize(1);
    assertThat(messages.get(0))
        .contains("BACKWARD", "READER_FIELD_MISSING_DEFAULT_VALUE", "field 'b'", "/fields/1");
    assertThat(check(FORWARD, A_B, A)).isEmpty();
    assertThat(check(FULL, A_B, A)).hasSize(1);
    assertThat(check(NONE, A_B, A)).isEmpty();
  }

  @Test
  void removingAFieldWithoutDefaultBreaksForwardButNotBackward() {
    assertThat(check(BACKWARD, A, A_B)).isEmpty();
    assertThat(check(FORWARD, A, A_B))
        .singleElement()
        .asString()
        .contains("FORWARD", "field 'b'", "latest previous schema");
    assertThat(check(FULL, A, A_B)).hasSize(1);
  }

  @Test
  void wideningAnIntIsBackwardButNotForward() {
    assertThat(check(BACKWARD, A_LONG, A)).isEmpty();
    assertThat(check(FORWARD, A_LONG, A)).singleElement().asString().contains("TYPE_MISMATCH");
    assertThat(check(FULL, A_LONG, A)).hasSize(1);
  }

  @Test
  void noneAcceptsAnIncompatibleTypeChange() {
    assertThat(check(NONE, A_STRING, A)).isEmpty();
    assertThat(check(FULL, A_STRING, A)).hasSize(2);
  }

  @Test
  void backwardChecksOnlyTheLatestButTransitiveChecksAll() {
    // v2 gave b a default, v3 drops the default: fine against v2, not against v1 (no b at all).
    Schema[] history = {A, A_B_DEFAULT};

    assertThat(check(BACKWARD, A_B, history)).isEmpty();
    assertThat(check(BACKWARD_TRANSITIVE, A_B, history))
        .singleElement()
        .asString()
        .contains("previous schema 1 of 2", "field 'b'");
    assertThat(check(FULL, A_B, history)).isEmpty();
    assertThat(check(FULL_TRANSITIVE, A_B, history)).hasSize(1);
  }

  @Test
  void forwardChecksOnlyTheLatestButTransitiveChecksAll() {
    // v1 required b, v2 defaulted it, v3 removes it: v2 readers cope, v1 readers do not.
    Schema[] history = {A_B, A_B_DEFAULT};

    assertThat(check(FORWARD, A, history)).isEmpty();
    assertThat(check(FORWARD_TRANSITIVE, A, history))
        .singleElement()
        .asString()
        .contains("FORWARD", "previous schema 1 of 2");
    assertThat(check(FULL_TRANSITIVE, A, history)).hasSize(1);
  }

  @Test
  void renamingARecordNeedsAnAlias() {
    Schema renamed =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"S\",\"namespace\":\"t\",\"fields\":["
                    + A_FIELD()
                    + "]}");
    Schema aliased =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"S\",\"namespace\":\"t\",\"aliases\":[\"t.R\"],"
                    + "\"fields\":["
                    + A_FIELD()
                    + "]}");

    assertThat(check(BACKWARD, renamed, A)).singleElement().asString().contains("NAME_MISMATCH");
    assertThat(check(BACKWARD, aliased, A)).isEmpty();
  }

  @Test
  void parsesLevelsCaseInsensitively() {
    assertThat(CompatibilityLevel.parse("full_transitive")).contains(FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.parse(" Backward ")).contains(BACKWARD);
    assertThat(CompatibilityLevel.parse("sideways")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
  }
}
