package io.stackpilot.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.serde.AvroCompatibility;
import io.stackpilot.serde.CompatibilityLevel;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves every topic's value schema can read what the newest released contract wrote (BACKWARD, the
 * registry's default), so a change that would break consumers fails the build, not production.
 */
class SchemaCompatibilityTest {
  // the newest snapshot is the version in progress: ReleasedSchemas.main rewrites it
  static final Path RELEASED = Path.of("released");

  @ParameterizedTest
  @EnumSource(Topic.class)
  void currentSchemaIsBackwardCompatibleWithEveryRelease(Topic topic) {
    // transitive: the snapshot of the version in progress is rewritten while it is in progress,
    // so checking only the newest would let a change slip past the versions users run
    for (Path release : ReleasedSchemas.all(RELEASED)) {
      Schema released = ReleasedSchemas.valueSchema(release, topic).orElse(null);
      if (released == null) {
        continue; // a topic new since that release has nothing to be compatible with
      }
      List<String> problems =
          AvroCompatibility.check(
              CompatibilityLevel.BACKWARD, topic.valueSchema(), List.of(released));
      assertThat(problems)
          .as("%s is not BACKWARD-compatible with release %s", topic.valueSubject(), release)
          .isEmpty();
    }
  }

  @Test
  void aReleaseSnapshotExistsForEveryTopic() {
    Path release = ReleasedSchemas.newest(RELEASED).orElseThrow();
    for (Topic topic : Topic.values()) {
      assertThat(ReleasedSchemas.valueSchema(release, topic)).as(topic.valueSubject()).isPresent();
    }
  }

  @Test
  void theCheckRefusesAFieldAddedWithoutDefault() {
    Path release = ReleasedSchemas.newest(RELEASED).orElseThrow();
    Schema released = ReleasedSchemas.valueSchema(release, Topic.STEP_APPLIED).orElseThrow();
    Schema broken = withRequiredField(released, "clusterVersion");

    List<String> problems =
        AvroCompatibility.check(CompatibilityLevel.BACKWARD, broken, List.of(released));

    assertThat(problems).isNotEmpty();
    assertThat(String.join("\n", problems)).contains("clusterVersion");
  }

  @Test
  void theCheckAcceptsAFieldAddedWithDefault() {
    Path release = ReleasedSchemas.newest(RELEASED).orElseThrow();
    Schema released = ReleasedSchemas.valueSchema(release, Topic.STEP_APPLIED).orElseThrow();
    Schema evolved = withOptionalField(released, "clusterVersion");

    assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, evolved, List.of(released)))
        .isEmpty();
  }

  private static Schema withRequiredField(Schema base, String name) {
    return rebuild(base, new Schema.Field(name, Schema.create(Schema.Type.STRING), null, null));
  }

  private static Schema withOptionalField(Schema base, String name) {
    return rebuild(
        base,
        new Schema.Field(
            name,
            SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
            null,
            Schema.Field.NULL_DEFAULT_VALUE));
  }

  private static Schema rebuild(Schema base, Schema.Field extra) {
    List<Schema.Field> fields =
        new java.util.ArrayList<>(
            base.getFields().stream().map(f -> new Schema.Field(f, f.schema())).toList());
    fields.add(extra);
    return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
  }
}
