package io.stackpilot.stackctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text columns, each as wide as its widest cell, two spaces apart. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** A field as text; "-" when it is missing or null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }

  /** A JSON array of strings as "a, b, c". */
  static String list(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(i -> items.add(i.asText()));
    return items.isEmpty() ? "-" : String.join(", ", items);
  }
}
