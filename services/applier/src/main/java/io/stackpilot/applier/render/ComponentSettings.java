package io.stackpilot.applier.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's typed settings ({@code componentSpec}, JSON with the stack spec's field names), read as
 * a tree: the applier does not depend on the planner's records, only on the field names of the spec
 * (services/planner/.../spec/StackSpec.java). Absent sections read as missing nodes.
 */
record ComponentSettings(JsonNode root) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ComponentSettings of(String componentSpec) {
    if (componentSpec == null || componentSpec.isBlank()) {
      return new ComponentSettings(MissingNode.getInstance());
    }
    try {
      return new ComponentSettings(JSON.readTree(componentSpec));
    } catch (JsonProcessingException e) {
      // the planner writes it from parsed records; a step that cannot be read is a bug upstream
      throw new IllegalArgumentException("componentSpec is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  JsonNode section(String name) {
    return root.path(name);
  }

  /** The items of a list section, or none. */
  static List<JsonNode> items(JsonNode list) {
    List<JsonNode> out = new ArrayList<>();
    if (list.isArray()) {
      list.forEach(out::add);
    }
    return out;
  }

  /** A text field, or null when absent. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  static boolean flag(JsonNode node, String field) {
    return node.path(field).asBoolean(false);
  }
}
