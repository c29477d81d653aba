package io.stackpilot.applier;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a live object with what was applied to it, field by field, the way server-side apply
 * owns fields: only the fields the applied object sets count; anything the server or another
 * manager added (status, defaults, other labels) is not a difference.
 */
public final class AppliedFields {
  private AppliedFields() {}

  /** Whether the live object holds every field the applied one sets. */
  public static boolean held(JsonNode live, JsonNode applied) {
    return differing(live, applied, 1).isEmpty();
  }

  /**
   * Dotted paths of the applied fields whose live value differs or is gone, in document order; at
   * most {@code limit} of them. A list that differs is one path (lists are replaced whole).
   */
  public static List<String> differing(JsonNode live, JsonNode applied, int limit) {
    List<String> out = new ArrayList<>();
    walk(live, applied, "", out, limit);
    return out;
  }

  private static void walk(
      JsonNode whole, JsonNode part, String path, List<String> out, int limit) {
    if (out.size() >= limit || part == null || part.isNull()) {
      return;
    }
    if (part.isObject() && whole != null && whole.isObject()) {
      var fields = part.fields();
      while (fields.hasNext() && out.size() < limit) {
        var field = fields.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        walk(whole.get(field.getKey()), field.getValue(), child, out, limit);
      }
      return;
    }
    if (whole == null || !same(whole, part)) {
      out.add(path.isEmpty() ? "." : path);
    }
  }

  /**
   * Equal values; numbers by value, as the API server stores them: a rendered 3 (a long) and the 3
   * read back (an int) are the same field, and so are 1.0 and 1.
   */
  private static boolean same(JsonNode whole, JsonNode part) {
    if (whole.isNumber() && part.isNumber()) {
      return whole.decimalValue().compareTo(part.decimalValue()) == 0;
    }
    if (whole.isArray() && part.isArray()) {
      if (whole.size() != part.size()) {
        return false;
      }
      for (int i = 0; i < whole.size(); i++) {
        if (!differing(whole.get(i), part.get(i), 1).isEmpty()
            || !differing(part.get(i), whole.get(i), 1).isEmpty()) {
          return false;
        }
      }
      return true;
    }
    return whole.equals(part);
  }
}
