package io.stackpilot.notifier.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads YAML nodes by path, recording what is wrong with them instead of stopping at the first. */
final class ConfigNodes {

  private final List<String> violations = new ArrayList<>();

  void add(String path, String message) {
    violations.add(path + ": " + message);
  }

  List<String> violations() {
    return violations;
  }

  /** True if the node is a mapping whose keys are all allowed; records what is not. */
  boolean mapping(JsonNode node, String path, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      add(path, "expected a mapping");
      return false;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        add(path + "." + key, "unknown field");
      }
    }
    return true;
  }

  /** A scalar as text, or null (recorded) when it is not a scalar. */
  String string(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      add(path, "expected a string");
      return null;
    }
    return node.asText();
  }

  /** The elements of a sequence, each with its path; empty (recorded) when it is not one. */
  List<Element> list(JsonNode node, String path) {
    List<Element> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      add(path, "expected a list");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new Element(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  List<String> strings(JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    for (Element e : list(node, path)) {
      String s = string(e.node(), e.path());
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** One element of a sequence and its path. */
  record Element(JsonNode node, String path) {}
}
