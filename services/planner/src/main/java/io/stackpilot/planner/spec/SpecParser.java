package io.stackpilot.planner.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a multi-document YAML with one {@code ObservabilityStack} and one {@code Fleet}; every
 * structural error names the document and field path where it happened. Unknown fields are refused
 * everywhere except inside a component's raw Helm {@code values}; the shape of the stack's typed
 * fields is checked here ({@link StackChecks}), their semantics by the rules.
 */
public final class SpecParser {
  public static final String API_VERSION = "stackpilot.io/v1alpha1";

  private final ObjectMapper yaml =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** A parsed stack and fleet, with the normalized YAML of each (for digests and events). */
  public record Declared(StackSpec stack, FleetSpec fleet, String stackYaml, String fleetYaml) {}

  public Declared parse(String documents) {
    StackSpec stack = null;
    FleetSpec fleet = null;
    String stackYaml = null;
    String fleetYaml = null;
    List<JsonNode> nodes = readAll(documents);
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      String kind = node.path("kind").asText("");
      String at = "document[" + i + "]";
      if (!API_VERSION.equals(node.path("apiVersion").asText())) {
        throw SpecException.of(at + ".apiVersion", "must be " + API_VERSION);
      }
      switch (kind) {
        case "ObservabilityStack" -> {
          stack = convert(node, StackSpec.class, "stack");
          stackYaml = write(node);
        }
        case "Fleet" -> {
          fleet = convert(node, FleetSpec.class, "fleet");
          fleetYaml = write(node);
        }
        default -> throw SpecException.of(at + ".kind", "must be ObservabilityStack or Fleet");
      }
    }
    if (stack == null) {
      throw SpecException.of("stack", "no document of kind ObservabilityStack");
    }
    if (fleet == null) {
      throw SpecException.of("fleet", "no document of kind Fleet");
    }
    List<SpecException.Violation> violations = StackChecks.check(stack);
    if (!violations.isEmpty()) {
      throw new SpecException(violations);
    }
    return new Declared(stack, fleet, stackYaml, fleetYaml);
  }

  /** A fleet registered on its own, with its normalized YAML. */
  public record DeclaredFleet(FleetSpec fleet, String yaml) {}

  /** Reads and validates one {@code Fleet} document, as a fleet registration sends it. */
  public DeclaredFleet parseFleet(String document) {
    List<JsonNode> nodes = readAll(document);
    if (nodes.size() != 1) {
      throw SpecException.of("document", "expected one Fleet document, found " + nodes.size());
    }
    JsonNode node = nodes.get(0);
    if (!API_VERSION.equals(node.path("apiVersion").asText())) {
      throw SpecException.of("document[0].apiVersion", "must be " + API_VERSION);
    }
    if (!"Fleet".equals(node.path("kind").asText(""))) {
      throw SpecException.of("document[0].kind", "must be Fleet");
    }
    FleetSpec fleet = convert(node, FleetSpec.class, "fleet");
    List<SpecException.Violation> violations = new ArrayList<>();
    new FleetValidator(null).validate(fleet, violations);
    if (!violations.isEmpty()) {
      throw new SpecException(violations);
    }
    return new DeclaredFleet(fleet, write(node));
  }

  private List<JsonNode> readAll(String documents) {
    List<JsonNode> nodes = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(documents)) {
      var it = yaml.readValues(parser, JsonNode.class);
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          nodes.add(node);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw SpecException.of(
          "document", "not valid YAML" + location(e) + ": " + firstLine(e.getMessage()));
    }
    return nodes;
  }

  private <T> T convert(JsonNode node, Class<T> type, String root) {
    try {
      return yaml.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw SpecException.of(path(root, e), "unknown field '" + e.getPropertyName() + "'");
    } catch (JsonMappingException e) {
      throw SpecException.of(path(root, e), "wrong type: " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw SpecException.of(root, firstLine(e.getOriginalMessage()));
    }
  }

  private String write(JsonNode node) {
    try {
      return yaml.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write back parsed YAML", e);
    }
  }

  static String path(String root, JsonMappingException e) {
    StringBuilder path = new StringBuilder(root);
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Where the YAML broke, so the author can find it: " at line 12, column 5". */
  static String location(Throwable e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        && j.getLocation() != null
        && j.getLocation().getLineNr() > 0) {
      return " at line "
          + j.getLocation().getLineNr()
          + ", column "
          + j.getLocation().getColumnNr();
    }
    return "";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
