package io.stackpilot.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Confluent's compatibility rules for Avro, on top of Avro's reader/writer resolution check. */
public final class AvroCompatibility {

  private AvroCompatibility() {}

  /**
   * Checks a candidate schema against earlier versions.
   *
   * @param previous earlier versions, oldest first; only the last is checked unless the level is
   *     transitive
   * @return human-readable incompatibilities, empty when compatible
   */
  public static List<String> check(
      CompatibilityLevel level, Schema candidate, List<Schema> previous) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(previous, "previous");
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return List.of();
    }
    int first = level.transitive() ? 0 : previous.size() - 1;
    List<String> messages = new ArrayList<>();
    // Newest first, like Confluent, so the most relevant conflict is reported first.
    for (int i = previous.size() - 1; i >= first; i--) {
      Schema old = previous.get(i);
      String against = describe(i, previous.size());
      if (level.backward()) {
        collect(
            messages,
            "BACKWARD",
            "the new schema cannot read data written with " + against,
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, old));
      }
      if (level.forward()) {
        collect(
            messages,
            "FORWARD",
            against + " cannot read data written with the new schema",
            SchemaCompatibility.checkReaderWriterCompatibility(old, candidate));
      }
    }
    return List.copyOf(messages);
  }

  private static String describe(int index, int count) {
    return index == count - 1
        ? "the latest previous schema"
        : "previous schema " + (index + 1) + " of " + count + " (oldest first)";
  }

  private static void collect(
      List<String> messages, String direction, String summary, SchemaPairCompatibility pair) {
    if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
      messages.add(
          direction
              + ": "
              + summary
              + ": "
              + incompatibility.getType()
              + " at '"
              + incompatibility.getLocation()
              + "': "
              + explain(incompatibility));
    }
  }

  // Avro's own message is terse (often just a field name); say what it means.
  private static String explain(Incompatibility incompatibility) {
    String detail = incompatibility.getMessage();
    return switch (incompatibility.getType()) {
      case READER_FIELD_MISSING_DEFAULT_VALUE ->
          "field '"
              + detail
              + "' is missing in the writer's schema and has no default value in the reader's";
      case NAME_MISMATCH -> "named types differ (add an alias to rename): " + detail;
      case MISSING_ENUM_SYMBOLS ->
          "the reader's enum lacks symbols the writer may send (and has no default): " + detail;
      case MISSING_UNION_BRANCH ->
          "the reader's union lacks a branch the writer may send: " + detail;
      default -> detail;
    };
  }
}
