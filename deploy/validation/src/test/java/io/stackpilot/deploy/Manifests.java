package io.stackpilot.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Multi-document YAML parsed into Jackson trees, with the look-ups the checks share. */
final class Manifests {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The repository's deploy/ folder; tests run in deploy/validation. */
  static final Path DEPLOY = Path.of("..").toAbsolutePath().normalize();

  private final List<JsonNode> documents;

  private Manifests(List<JsonNode> documents) {
    this.documents = List.copyOf(documents);
  }

  /** Every non-empty document of a multi-document YAML text. */
  static Manifests parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
    }
    return new Manifests(docs);
  }

  static Manifests read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<JsonNode> all() {
    return documents;
  }

  Stream<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText()));
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).filter(d -> name.equals(name(d))).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " rendered"));
  }

  static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText();
  }

  static String describe(JsonNode doc) {
    return doc.path("kind").asText() + "/" + name(doc);
  }
}
