package io.stackpilot.planner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A location inside a values tree: map keys and list indexes. Renders as {@code
 * .tempo.storage.traces}, {@code [0]}, or {@code ["datasources.yaml"]} for keys that are not plain
 * words.
 */
record VPath(List<Object> segments) {
  static final VPath ROOT = new VPath(List.of());
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

  static VPath of(Object... segments) {
    return new VPath(List.of(segments));
  }

  VPath key(String key) {
    return with(key);
  }

  VPath index(int index) {
    return with(index);
  }

  VPath then(VPath more) {
    List<Object> next = new ArrayList<>(segments);
    next.addAll(more.segments);
    return new VPath(List.copyOf(next));
  }

  private VPath with(Object segment) {
    List<Object> next = new ArrayList<>(segments);
    next.add(segment);
    return new VPath(List.copyOf(next));
  }

  String render() {
    StringBuilder out = new StringBuilder();
    for (Object s : segments) {
      if (s instanceof Integer i) {
        out.append('[').append(i).append(']');
      } else if (PLAIN.matcher(s.toString()).matches()) {
        out.append('.').append(s);
      } else {
        out.append("[\"").append(s).append("\"]");
      }
    }
    return out.toString();
  }
}
