package io.stackpilot.notifier.channel;

import java.util.ArrayList;
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
  private static final Set<String> MAPS =
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
    Parser p = new Parser(source);
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

  private interface Node {
    void render(Map<String, Object> root, Object dot, StringBuilder out);
  }

  private record Text(String text) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      if (out.length() < MAX_OUTPUT) {
        out.append(text);
      }
    }
  }

  private record Print(Expr expr) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      if (out.length() < MAX_OUTPUT) {
        out.append(text(expr.eval(root, dot)));
      }
    }
  }

  private record If(Expr cond, List<Node> then, List<Node> otherwise) implements Node {
    @Override
    public void render(Map<String, Object> root, Object dot, StringBuilder out) {
      for (Node n : truthy(cond.eval(root, dot)) ? then : otherwise) {
        n.render(root, dot, out);
      }
    }
  }

  private record Range(Expr list, List<Node> body) implements Node {
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
  private record Expr(
      String op, boolean fromRoot, List<String> path, String literal, List<Expr> args) {
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

  // ---- the parser ----

  private static final class Parser {
    private final String src;
    private int pos;
    private boolean trimNextText;

    /**
     * Nesting: false at the top (dot is the notification), true inside a range (dot is an alert).
     */
    private int rangeDepth;

    Parser(String src) {
      this.src = src;
    }

    /** Reads nodes until one of {@code stops} ({@code else}, {@code end}) or the end of input. */
    List<Node> block(boolean inner, Set<String> stops) {
      List<Node> out = new ArrayList<>();
      while (pos < src.length()) {
        int open = src.indexOf("{{", pos);
        String text = src.substring(pos, open < 0 ? src.length() : open);
        if (trimNextText) {
          text = text.stripLeading();
          trimNextText = false;
        }
        if (open < 0) {
          addText(out, text);
          pos = src.length();
          break;
        }
        int close = src.indexOf("}}", open + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed action at offset " + open);
        }
        String action = src.substring(open + 2, close);
        if (action.startsWith("-")
            && (action.length() == 1 || Character.isWhitespace(action.charAt(1)))) {
          text = text.stripTrailing();
          action = action.substring(1);
        }
        if (action.endsWith("-")
            && (action.length() == 1
                || Character.isWhitespace(action.charAt(action.length() - 2)))) {
          trimNextText = true;
          action = action.substring(0, action.length() - 1);
        }
        addText(out, text);
        pos = close + 2;
        List<String> words = tokens(action.strip(), open);
        if (words.isEmpty()) {
          throw new IllegalArgumentException("empty action at offset " + open);
        }
        String head = words.get(0);
        if (stops.contains(head)) {
          stopped = head;
          stopArgs = words;
          return out;
        }
        switch (head) {
          case "if":
            out.add(ifNode(words, open));
            break;
          case "range":
            out.add(rangeNode(words, open));
            break;
          case "else":
          case "end":
            throw new IllegalArgumentException("unexpected {{" + head + "}} at offset " + open);
          default:
            out.add(new Print(expr(words, open)));
        }
      }
      if (inner) {
        throw new IllegalArgumentException("missing {{end}}");
      }
      return out;
    }

    private String stopped;
    private List<String> stopArgs;

    private static void addText(List<Node> out, String text) {
      if (!text.isEmpty()) {
        out.add(new Text(text));
      }
    }

    private Node ifNode(List<String> words, int at) {
      Expr cond = expr(words.subList(1, words.size()), at);
      List<Node> then = block(true, Set.of("else", "end"));
      List<Node> otherwise = List.of();
      if (stopped.equals("else")) {
        if (stopArgs.size() > 1 && stopArgs.get(1).equals("if")) {
          // {{else if …}} is an if nested in the else branch, closed by the same {{end}}
          otherwise = List.of(ifNode(stopArgs.subList(1, stopArgs.size()), at));
          return new If(cond, then, otherwise);
        }
        otherwise = block(true, Set.of("end"));
      }
      return new If(cond, then, otherwise);
    }

    private Node rangeNode(List<String> words, int at) {
      if (words.size() != 2) {
        throw new IllegalArgumentException("range takes one list at offset " + at);
      }
      Expr list = expr(words.subList(1, 2), at);
      List<String> p = list.path();
      boolean alerts =
          list.op().equals("field")
              && (list.fromRoot() || rangeDepth == 0)
              && !p.isEmpty()
              && p.get(0).equals("Alerts");
      if (!alerts) {
        throw new IllegalArgumentException(
            "range works over .Alerts, .Alerts.Firing or .Alerts.Resolved (offset " + at + ")");
      }
      rangeDepth++;
      List<Node> body = block(true, Set.of("end"));
      rangeDepth--;
      return new Range(list, body);
    }

    private Expr expr(List<String> words, int at) {
      if (words.isEmpty()) {
        throw new IllegalArgumentException("missing expression at offset " + at);
      }
      String head = words.get(0);
      if (head.equals("eq") || head.equals("ne")) {
        if (words.size() != 3) {
          throw new IllegalArgumentException(head + " takes two arguments at offset " + at);
        }
        return new Expr(
            head,
            false,
            List.of(),
            null,
            List.of(operand(words.get(1), at), operand(words.get(2), at)));
      }
      if (head.equals("len")) {
        if (words.size() != 2) {
          throw new IllegalArgumentException("len takes one argument at offset " + at);
        }
        return new Expr("len", false, List.of(), null, List.of(operand(words.get(1), at)));
      }
      if (words.size() != 1) {
        throw new IllegalArgumentException(
            "unknown function '" + head + "' at offset " + at + " (known: eq, ne, len)");
      }
      return operand(head, at);
    }

    private Expr operand(String word, int at) {
      if (word.startsWith("\"")) {
        return new Expr(
            "literal", false, List.of(), word.substring(1, word.length() - 1), List.of());
      }
      boolean fromRoot = word.startsWith("$");
      String rest = fromRoot ? word.substring(1) : word;
      if (!rest.startsWith(".")) {
        throw new IllegalArgumentException(
            "unknown function or value '" + word + "' at offset " + at);
      }
      List<String> path =
          rest.equals(".") ? List.of() : List.of(rest.substring(1).split("\\.", -1));
      boolean inAlert = !fromRoot && rangeDepth > 0;
      checkPath(path, inAlert, word, at);
      return new Expr("field", fromRoot, path, null, List.of());
    }

    private static void checkPath(List<String> path, boolean inAlert, String word, int at) {
      if (path.isEmpty()) {
        return;
      }
      for (String s : path) {
        if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("bad field '" + word + "' at offset " + at);
        }
      }
      String first = path.get(0);
      Set<String> fields = inAlert ? ALERT_FIELDS : ROOT_FIELDS;
      if (!fields.contains(first)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + word
                + "' at offset "
                + at
                + (inAlert ? " (inside range, . is one alert)" : ""));
      }
      int maxDepth = MAPS.contains(first) ? 2 : first.equals("Alerts") ? 2 : 1;
      if (first.equals("Alerts")
          && path.size() == 2
          && !Set.of("Firing", "Resolved").contains(path.get(1))) {
        throw new IllegalArgumentException("unknown field '" + word + "' at offset " + at);
      }
      if (path.size() > maxDepth) {
        throw new IllegalArgumentException("unknown field '" + word + "' at offset " + at);
      }
    }

    /** Splits an action into words; a double-quoted string is one word (with its quotes). */
    private static List<String> tokens(String action, int at) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < action.length()) {
        char c = action.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '"') {
          int end = action.indexOf('"', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unclosed string at offset " + at);
          }
          out.add(action.substring(i, end + 1));
          i = end + 1;
        } else {
          int end = i;
          while (end < action.length() && !Character.isWhitespace(action.charAt(end))) {
            end++;
          }
          out.add(action.substring(i, end));
          i = end;
        }
      }
      return out;
    }
  }
}
