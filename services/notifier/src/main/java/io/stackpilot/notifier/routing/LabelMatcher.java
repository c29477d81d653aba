package io.stackpilot.notifier.routing;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher (`name=value`, `!=`, `=~`, `!~`), with Alertmanager's semantics: a missing
 * label has the empty value, and regexes are anchored at both ends.
 */
public record LabelMatcher(String name, Type type, String value, Pattern regex)
    implements Comparable<LabelMatcher> {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** The four operators, spelled as in Alertmanager. */
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    @Override
    public String toString() {
      return op;
    }

    static Type of(String op) {
      for (Type t : values()) {
        if (t.op.equals(op)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown operator '" + op + "'");
    }
  }

  /** Makes a matcher; a regex value is compiled anchored, as `^(?:value)$`. */
  public static LabelMatcher of(String name, Type type, String value) {
    if (!isLabelName(name)) {
      throw new IllegalArgumentException("invalid label name '" + name + "'");
    }
    Pattern regex = null;
    if (type == Type.REGEX || type == Type.NOT_REGEX) {
      try {
        regex = Pattern.compile("^(?:" + value + ")$");
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression '" + value + "': " + e.getDescription());
      }
    }
    return new LabelMatcher(name, type, value, regex);
  }

  public static boolean isLabelName(String name) {
    return name != null && LABEL_NAME.matcher(name).matches();
  }

  /**
   * Parses `name op value`, optionally in braces, the value optionally double-quoted, as in
   * Alertmanager's `matchers` lists. The operator is read as the whole run of operator characters,
   * so `severity=>critical` is refused rather than read as `=` with the value `>critical`.
   */
  public static LabelMatcher parse(String text) {
    String s = text.strip();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    int i = 0;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    String name = s.substring(0, i);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("label name expected in '" + text + "'");
    }
    int j = i;
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      j++;
    }
    int k = j;
    while (k < s.length() && "=!~<>".indexOf(s.charAt(k)) >= 0) {
      k++;
    }
    if (k == j) {
      throw new IllegalArgumentException(
          "operator expected after '" + name + "' in '" + text + "'");
    }
    Type type = Type.of(s.substring(j, k));
    String rest = s.substring(k).strip();
    String value = rest.startsWith("\"") ? unquote(rest) : rest;
    return of(name, type, value);
  }

  private static String unquote(String quoted) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '"') {
        if (!quoted.substring(i + 1).isBlank()) {
          throw new IllegalArgumentException("unexpected text after the quoted value: " + quoted);
        }
        return out.toString();
      }
      if (c == '\\' && i + 1 < quoted.length()) {
        char n = quoted.charAt(++i);
        out.append(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> n;
            });
      } else {
        out.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated quoted value: " + quoted);
  }

  /** Whether the labels match; an absent label is the empty string, as in Alertmanager. */
  public boolean matches(Map<String, String> labels) {
    String v = labels.getOrDefault(name, "");
    return switch (type) {
      case EQUAL -> v.equals(value);
      case NOT_EQUAL -> !v.equals(value);
      case REGEX -> regex.matcher(v).matches();
      case NOT_REGEX -> !regex.matcher(v).matches();
    };
  }

  /** Whether every matcher matches (an empty list matches everything). */
  public static boolean matchesAll(List<LabelMatcher> matchers, Map<String, String> labels) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Alertmanager's `Matchers.String()`: `{a="x",b=~"y"}`. */
  public static String toString(List<LabelMatcher> matchers) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < matchers.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(matchers.get(i));
    }
    return b.append('}').toString();
  }

  @Override
  public String toString() {
    return name + type + quote(value);
  }

  /** Go's strconv.Quote for the characters label values usually hold. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Alertmanager sorts a route's matchers by name, then value, then operator. */
  @Override
  public int compareTo(LabelMatcher o) {
    int c = name.compareTo(o.name);
    if (c == 0) {
      c = value.compareTo(o.value);
    }
    return c != 0 ? c : type.compareTo(o.type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && name.equals(m.name)
        && type == m.type
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
