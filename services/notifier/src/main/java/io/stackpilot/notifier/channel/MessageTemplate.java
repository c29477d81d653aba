package io.stackpilot.notifier.channel;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, safe subset of Go's text/template (the language of Alertmanager's templates), enough for
 * titles and messages. See CHANNELS.md for the syntax. Field names are checked when the template is
 * parsed, so a typo is a configuration error rather than a silently empty message; there are no
 * user-defined functions, no nested templates and the output is bounded.
 */
final class MessageTemplate {

  static final Set<String> ROOT_FIELDS =
      Set.of(
          "Status",
          "Receiver",
          "GroupKey",
          "GroupLabels",
          "CommonLabels",
          "CommonAnnotations",
          "ExternalURL",
          "Alerts");
  static final Set<String> ALERT_FIELDS =
      Set.of(
          "Status", "Labels", "Annotations", "StartsAt", "EndsAt", "GeneratorURL", "Fingerprint");
  static final Set<String> MAPS =
      Set.of("GroupLabels", "CommonLabels", "CommonAnnotations", "Labels", "Annotations");
  private static final int MAX_OUTPUT = 64 * 1024;

  private final String source;
  private final List<Node> nodes;

  private MessageTemplate(String source, List<Node> nodes) {
    this.source = source;
    this.nodes = nodes;
  }

  /** Parses; throws {@link IllegalArgumentException} with a message fit for a config violation. */
  static MessageTemplate parse(String source) {
    TemplateParser p = new TemplateParser(source);
    List<Node> nodes = p.block(false, Set.of());
    return new MessageTemplate(source, nodes);
  }

  String source() {
    return source;
  }

  /** Renders against {@link TemplateData#root()}. */
  String render(Map<String, Object> root) {
    StringBuilder out = new StringBuilder();
    for (Node n : nodes) {
      n.render(root, root, out);
    }
    return out.length() > MAX_OUTPUT ? out.substring(0, MAX_OUTPUT) : out.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  // ---- the tree ----

  interface Node {
    void render(Map<String, Object> root, Object dot, StringBuilder out);
  }

  record Text(String text) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      if (out.length() < MAX_OUTPUT) {
        out.append(text);
      }
    }
  }

  record Print(Expr expr) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      if (out.length() < MAX_OUTPUT) {
        out.append(text(expr.eval(root, dot)));
      }
    }
  }

  record If(Expr cond, List<Node> then, List<Node> otherwise) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      for (Node n : truthy(cond.eval(root, dot)) ? then : otherwise) {
        n.render(root, dot, out);
      }
    }
  }

  record Range(Expr list, List<Node> body) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      Object value = list.eval(root, dot);
      if (value instanceof List<?> items) {
        for (Object item : items) {
          for (Node n : body) {
            n.render(root, item, out);
          }
        }
      }
    }
  }

  /** A field path (from the root with {@code $}, else from dot), a literal, or eq/ne/len. */
  record Expr(String op, boolean fromRoot, List<String> path, String literal, List<Expr> args) {
    Object eval(Map<String, Object> root, Object dot) {
      switch (op) {
        case "literal":
          return literal;
        case "eq":
          return text(args.get(0).eval(root, dot)).equals(text(args.get(1).eval(root, dot)));
        case "ne":
          return !text(args.get(0).eval(root, dot)).equals(text(args.get(1).eval(root, dot)));
        case "len":
          Object v = args.get(0).eval(root, dot);
          return v instanceof List<?> l
              ? String.valueOf(l.size())
              : v instanceof Map<?, ?> m
                  ? String.valueOf(m.size())
                  : String.valueOf(text(v).length());
        default:
          Object cur = fromRoot ? root : dot;
          for (String segment : path) {
            if (cur instanceof Map<?, ?> m) {
              cur = m.get(segment);
            } else if (cur instanceof TemplateData.AlertList alerts) {
              cur = alerts.part(segment);
            } else {
              cur = null;
            }
          }
          return cur;
      }
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Map<?, ?> m) {
      return new java.util.TreeMap<>(m).toString();
    }
    if (value instanceof List<?> l) {
      return "[" + l.size() + " alerts]";
    }
    return value.toString();
  }

  private static boolean truthy(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (value instanceof List<?> l) {
      return !l.isEmpty();
    }
    return value != null && !value.toString().isEmpty();
  }
}
