package io.stackpilot.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Renders the generated part of docs/events.md from the catalog and the schemas, so the event
 * documentation cannot drift from the contract (a test compares them). Run {@code main} with the
 * path of docs/events.md to rewrite it.
 */
public final class ContractDocs {
  public static final String START = "<!-- generated from schemas/ by ContractDocs: start -->";
  public static final String END = "<!-- generated from schemas/ by ContractDocs: end -->";

  private ContractDocs() {}

  public static String render() {
    StringBuilder md = new StringBuilder();
    md.append("## Topics\n\n");
    md.append(
        "| topic | value schema (subject `<topic>-value`) | key | partitions | cleanup | retention |\n");
    md.append("| --- | --- | --- | --- | --- | --- |\n");
    for (Topic t : Topic.values()) {
      md.append("| `")
          .append(t.topicName())
          .append("` | ")
          .append(t.valueSchema().getName())
          .append(" | ")
          .append(t.key().name().toLowerCase())
          .append(" | ")
          .append(t.partitions())
          .append(" | ")
          .append(t.cleanupPolicy())
          .append(" | ")
          .append(
              t.retention().millis() < 0
                  ? "forever"
                  : t.retention().millis() / 86_400_000 + " days")
          .append(" |\n");
    }
    md.append(
            "| `stackpilot.dlq.<service>` | raw bytes of the poison record | original key | 1 | delete | ")
        .append(Topic.DEAD_LETTER_RETENTION_MILLIS / 86_400_000)
        .append(" days | 1 MiB |\n\n");
    md.append("## Events\n");
    Set<Schema> nested = new LinkedHashSet<>();
    for (Topic t : Topic.values()) {
      Schema schema = t.valueSchema();
      md.append("\n### ")
          .append(schema.getName())
          .append(" — `")
          .append(t.topicName())
          .append("`\n\n");
      md.append(schema.getDoc()).append("\n\n");
      fields(md, schema, nested);
    }
    md.append("\n## Shared types\n");
    Set<String> done = new LinkedHashSet<>();
    for (Schema s : nested) {
      if (done.add(s.getFullName())) {
        md.append("\n### ").append(s.getName()).append("\n\n");
        if (s.getDoc() != null) {
          md.append(s.getDoc()).append("\n\n");
        }
        if (s.getType() == Schema.Type.ENUM) {
          md.append("Symbols: `").append(String.join("`, `", s.getEnumSymbols())).append("`\n");
        } else {
          fields(md, s, new LinkedHashSet<>());
        }
      }
    }
    return md.toString();
  }

  private static void fields(StringBuilder md, Schema record, Set<Schema> nested) {
    md.append("| field | type | description |\n| --- | --- | --- |\n");
    for (Schema.Field f : record.getFields()) {
      md.append("| `")
          .append(f.name())
          .append("` | ")
          .append(typeName(f.schema(), nested))
          .append(" | ")
          .append(f.doc() == null ? "" : f.doc().replace("|", "\\|"))
          .append(" |\n");
    }
  }

  private static String typeName(Schema s, Set<Schema> nested) {
    return switch (s.getType()) {
      case RECORD, ENUM -> {
        nested.add(s);
        yield s.getName();
      }
      case ARRAY -> "array of " + typeName(s.getElementType(), nested);
      case MAP -> "map of " + typeName(s.getValueType(), nested);
      case UNION -> {
        StringBuilder u = new StringBuilder();
        for (Schema b : s.getTypes()) {
          if (b.getType() != Schema.Type.NULL) {
            u.append(u.length() == 0 ? "" : " or ").append(typeName(b, nested));
          }
        }
        yield s.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL)
            ? u + " (optional)"
            : u.toString();
      }
      case LONG ->
          s.getLogicalType() != null ? "timestamp (" + s.getLogicalType().getName() + ")" : "long";
      default -> s.getType().getName();
    };
  }

  /** Replaces the generated section of the given markdown file. */
  public static void main(String[] args) throws IOException {
    Path doc = Path.of(args.length > 0 ? args[0] : "docs/events.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalStateException(doc + " lacks the generated-section markers");
    }
    String updated =
        text.substring(0, start + START.length()) + "\n" + render() + text.substring(end);
    Files.writeString(doc, updated, StandardCharsets.UTF_8);
  }
}
