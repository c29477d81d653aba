package io.stackpilot.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for secret values in text: each value as written, and base64-encoded as a Secret's {@code
 * data} holds it. A hit names where it was and which secret, and shows the text around it with the
 * value masked, so a report of a leak does not leak it again.
 */
final class LeakScanner {
  private static final String MASK = "<SENTINEL>";

  /** Needles by label: the label names the secret, the needle is what must not appear. */
  private final Map<String, String> needles = new LinkedHashMap<>();

  /** Looks for {@code value} and its base64 encoding, reported as {@code label}. */
  LeakScanner secret(String label, String value) {
    needles.put(label, value);
    needles.put(
        label + " (base64)",
        Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /** Every needle found in {@code text}, as "where: label: ...context..." lines. */
  List<String> scan(String where, String text) {
    List<String> hits = new ArrayList<>();
    if (text == null) {
      return hits;
    }
    needles.forEach(
        (label, needle) -> {
          int at = text.indexOf(needle);
          if (at >= 0) {
            hits.add(where + ": " + label + ": ..." + context(text, at, needle) + "...");
          }
        });
    return hits;
  }

  private String context(String text, int at, String needle) {
    String around =
        text.substring(Math.max(0, at - 80), Math.min(text.length(), at + needle.length() + 80));
    for (String n : needles.values()) {
      around = around.replace(n, MASK);
    }
    return around.replace('\n', ' ');
  }
}
