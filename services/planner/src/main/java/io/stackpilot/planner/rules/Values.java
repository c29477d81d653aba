package io.stackpilot.planner.rules;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Reading raw Helm values: nested lookups that tolerate absent levels, and Helm's merge. */
final class Values {
  private Values() {}

  /** The value at {@code path} (keys and indexes), or null when any level is absent. */
  static Object get(Object root, VPath path) {
    Object node = root;
    for (Object segment : path.segments()) {
      if (segment instanceof Integer i && node instanceof List<?> list) {
        node = i < list.size() ? list.get(i) : null;
      } else if (node instanceof Map<?, ?> map) {
        node = map.get(segment.toString());
      } else {
        return null;
      }
    }
    return node;
  }

  static Object get(Object root, Object... path) {
    return get(root, VPath.of(path));
  }

  /** Whether every level of {@code path} is present (a key holding null counts). */
  static boolean contains(Object root, VPath path) {
    Object node = root;
    for (Object segment : path.segments()) {
      if (segment instanceof Integer i && node instanceof List<?> list && i < list.size()) {
        node = list.get(i);
      } else if (node instanceof Map<?, ?> map && map.containsKey(segment.toString())) {
        node = map.get(segment.toString());
      } else {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static List<?> list(Object node) {
    return node instanceof List<?> l ? l : List.of();
  }

  /** A scalar as text (strings, numbers, booleans); null for maps, lists and null. */
  static String text(Object node) {
    return node instanceof String || node instanceof Number || node instanceof Boolean
        ? String.valueOf(node)
        : null;
  }

  static boolean isTrue(Object node) {
    return "true".equalsIgnoreCase(text(node));
  }

  static boolean isFalse(Object node) {
    return "false".equalsIgnoreCase(text(node));
  }

  static boolean blank(Object node) {
    String t = text(node);
    return t == null || t.isBlank();
  }

  /** Visits every node under {@code node} (itself included), depth first, in document order. */
  static void walk(Object node, VPath at, BiConsumer<VPath, Object> visitor) {
    visitor.accept(at, node);
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, at.key(String.valueOf(k)), visitor));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), at.index(i), visitor);
      }
    }
  }
}
