package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of server-side apply's field ownership the simulator keeps: a field a manager applied
 * before and leaves out now is removed from the object, unless another manager's last apply still
 * sets it. Fields are object keys, recursively; a list is one field (atomic), as for most built-in
 * and CRD lists without list-map keys.
 */
final class FieldSets {
  private FieldSets() {}

  /**
   * Removes from {@code object} the fields in {@code before} but not in {@code now}, except those
   * any of {@code others} sets.
   */
  static void removeDropped(
      ObjectNode object, JsonNode before, JsonNode now, List<JsonNode> others) {
    List<String> names = new ArrayList<>();
    before.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode was = before.get(name);
      JsonNode is = now == null ? null : now.get(name);
      List<JsonNode> otherValues = new ArrayList<>();
      for (JsonNode other : others) {
        if (other != null && other.has(name)) {
          otherValues.add(other.get(name));
        }
      }
      if (is == null || is.isNull()) {
        if (otherValues.isEmpty()) {
          object.remove(name);
        } else if (was.isObject() && object.get(name) instanceof ObjectNode child) {
          removeDropped(child, was, null, otherValues);
        }
      } else if (was.isObject() && is.isObject() && object.get(name) instanceof ObjectNode child) {
        removeDropped(child, was, is, otherValues);
      }
    }
  }
}
