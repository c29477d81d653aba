package io.stackpilot.planner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of Alloy's configuration syntax (River) to find its labelled component blocks, such
 * as {@code prometheus.remote_write "mimir" { ... }}, and their quoted attributes. Alloy configs
 * sit in values as text ({@code alloy.configMap.content}), so this is how rules see their writers.
 */
final class River {
  private static final Pattern BLOCK =
      Pattern.compile("(?m)^[ \\t]*([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+)\\s+\"([^\"]*)\"\\s*\\{");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private River() {}

  /** A labelled block: its kind ({@code loki.write}), label, and the text between its braces. */
  record Block(String kind, String label, String body) {
    String describe() {
      return kind + " \"" + label + "\"";
    }

    /** The quoted values of every attribute of that name, nested blocks included. */
    List<String> attributes(String name) {
      List<String> out = new ArrayList<>();
      Matcher m = ATTRIBUTE.matcher(body);
      while (m.find()) {
        if (m.group(1).equals(name)) {
          out.add(m.group(2));
        }
      }
      return out;
    }

    /** The value of a quoted map entry such as {@code "X-Scope-OrgID" = "perso"}, or null. */
    String quotedEntry(String key) {
      Matcher m =
          Pattern.compile(
                  "\"" + Pattern.quote(key) + "\"\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"",
                  Pattern.CASE_INSENSITIVE)
              .matcher(body);
      return m.find() ? m.group(1) : null;
    }
  }

  /** Whether the text looks like an Alloy configuration (has at least one labelled block). */
  static boolean looksLike(String text) {
    return text != null && BLOCK.matcher(text).find();
  }

  /** Every labelled block at any depth, in the order they start. */
  static List<Block> blocks(String text) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      int open = m.end() - 1;
      int close = matchingBrace(text, open);
      out.add(new Block(m.group(1), m.group(2), text.substring(open + 1, close)));
    }
    return out;
  }

  /** Every quoted attribute in the text as (name, value), for scanning. */
  static List<String[]> attributes(String text) {
    List<String[]> out = new ArrayList<>();
    Matcher m = ATTRIBUTE.matcher(text);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  /** The index of the brace closing the one at {@code open}, skipping strings and comments. */
  private static int matchingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"') {
        i = endOfString(text, i);
      } else if (ch == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
        int eol = text.indexOf('\n', i);
        i = eol < 0 ? text.length() : eol;
      } else if (ch == '{') {
        depth++;
      } else if (ch == '}' && --depth == 0) {
        return i;
      }
    }
    return text.length();
  }

  private static int endOfString(String text, int quote) {
    for (int i = quote + 1; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (ch == '"') {
        return i;
      }
    }
    return text.length();
  }
}
