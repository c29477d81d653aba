package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.channel.MessageTemplate.Expr;
import io.stackpilot.notifier.channel.MessageTemplate.If;
import io.stackpilot.notifier.channel.MessageTemplate.Node;
import io.stackpilot.notifier.channel.MessageTemplate.Print;
import io.stackpilot.notifier.channel.MessageTemplate.Range;
import io.stackpilot.notifier.channel.MessageTemplate.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link MessageTemplate}'s source into its tree, checking field names against where they
 * are used (the notification at the top, one alert inside a range).
 */
final class TemplateParser {
  private final String src;
  private int pos;
  private boolean trimNextText;

  /** Nesting: false at the top (dot is the notification), true inside a range (dot is an alert). */
  private int rangeDepth;

  TemplateParser(String src) {
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
          && (action.length() == 1 || Character.isWhitespace(action.charAt(action.length() - 2)))) {
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
      return new Expr("literal", false, List.of(), word.substring(1, word.length() - 1), List.of());
    }
    boolean fromRoot = word.startsWith("$");
    String rest = fromRoot ? word.substring(1) : word;
    if (!rest.startsWith(".")) {
      throw new IllegalArgumentException(
          "unknown function or value '" + word + "' at offset " + at);
    }
    List<String> path = rest.equals(".") ? List.of() : List.of(rest.substring(1).split("\\.", -1));
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
    Set<String> fields = inAlert ? MessageTemplate.ALERT_FIELDS : MessageTemplate.ROOT_FIELDS;
    if (!fields.contains(first)) {
      throw new IllegalArgumentException(
          "unknown field '"
              + word
              + "' at offset "
              + at
              + (inAlert ? " (inside range, . is one alert)" : ""));
    }
    int maxDepth = MessageTemplate.MAPS.contains(first) ? 2 : first.equals("Alerts") ? 2 : 1;
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
