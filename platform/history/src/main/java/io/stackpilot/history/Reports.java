package io.stackpilot.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackpilot.history.FleetState.ClusterState;
import io.stackpilot.history.FleetState.ComponentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Timelines and states as a text table, as JSON, and as a self-contained HTML report. */
public final class Reports {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  /** One row per event, its diff indented under a declaration. */
  public static String table(Timeline timeline) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"#", "TIME", "TYPE", "ACTOR", "PRODUCER", "CLUSTER", "SUMMARY", "REASON"});
    StringBuilder out = new StringBuilder();
    List<String> diffs = new ArrayList<>();
    for (TimelineEntry e : timeline.entries()) {
      rows.add(
          new String[] {
            Integer.toString(e.index() + 1),
            e.occurredAt(),
            e.type(),
            e.actor(),
            dash(e.producer()),
            dash(e.cluster()),
            e.summary(),
            dash(e.reason())
          });
      diffs.add(e.specDiff());
    }
    List<String> lines = columns(rows);
    out.append(lines.get(0)).append('\n');
    for (int i = 1; i < lines.size(); i++) {
      out.append(lines.get(i)).append('\n');
      String diff = diffs.get(i - 1);
      if (diff != null && !diff.isEmpty()) {
        diff.lines().forEach(l -> out.append("    | ").append(l).append('\n'));
      }
    }
    out.append(timeline.entries().size()).append(" events\n");
    return out.toString();
  }

  /** {"selection": ..., "events": [...]} */
  public static String json(Timeline timeline) {
    ObjectNode root = JSON.createObjectNode();
    Selection sel = timeline.selection();
    ObjectNode selection = root.putObject("selection");
    selection.put("rollout", sel.rollout());
    selection.put("cluster", sel.cluster());
    selection.put("component", sel.component());
    selection.put("since", sel.since() == null ? null : sel.since().toString());
    selection.put("until", sel.until() == null ? null : sel.until().toString());
    root.set("events", JSON.valueToTree(timeline.entries()));
    return write(root);
  }

  /** {"cluster": ..., "at": ..., "hash": ..., "state": ...} */
  public static String json(String cluster, String at, FleetState state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("cluster", cluster);
    root.put("at", at);
    root.put("hash", state.hash());
    root.set("state", JSON.valueToTree(state.cluster(cluster)));
    return write(root);
  }

  /** One row per component of the cluster, then its gate and open alerts, then the hash. */
  public static String table(String cluster, String at, FleetState state) {
    ClusterState c = state.cluster(cluster);
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"STACK", "COMPONENT", "CHART", "DIGEST", "LAST STEP", "HEALTH", "DRIFT"});
    for (Map.Entry<String, java.util.SortedMap<String, ComponentState>> stack :
        c.stacks().entrySet()) {
      for (Map.Entry<String, ComponentState> component : stack.getValue().entrySet()) {
        ComponentState s = component.getValue();
        rows.add(
            new String[] {
              stack.getKey(),
              component.getKey(),
              s.installed() ? dash(s.chartVersion()) : "(not installed)",
              EventText.shortDigest(s.digest()),
              s.lastStep() == null ? "-" : s.lastStep().action() + " " + s.lastStep().outcome(),
              s.health() == null ? "-" : s.health().status(),
              dash(s.drift())
            });
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("cluster ").append(cluster).append(" at ").append(at).append('\n');
    columns(rows).forEach(l -> out.append(l).append('\n'));
    out.append("latest gate: ")
        .append(
            c.latestGate() == null
                ? "-"
                : c.latestGate().decision()
                    + " (rollout "
                    + c.latestGate().rolloutId()
                    + ", wave "
                    + c.latestGate().waveIndex()
                    + ")")
        .append('\n');
    out.append("open alerts: ")
        .append(
            c.openAlerts().isEmpty()
                ? "-"
                : String.join(
                    ", ",
                    c.openAlerts().values().stream()
                        .map(a -> a.alertname() + "(" + a.severity() + ")")
                        .toList()))
        .append('\n');
    out.append("state of ").append(state.events()).append(" events: ").append(state.hash());
    out.append('\n');
    return out.toString();
  }

  /** A self-contained page: inline CSS, no scripts, no external assets. */
  public static String html(String title, Timeline timeline) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style></head>\n<body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p class=\"meta\">")
        .append(timeline.entries().size())
        .append(
            " events in causal order (a cause before its effects), read from the Kafka topics"
                + " alone.</p>\n");
    List<TimelineEntry> decisive = timeline.entries().stream().filter(Reports::decisive).toList();
    if (!decisive.isEmpty()) {
      h.append("<ul class=\"outcome\" id=\"outcome\">\n");
      for (TimelineEntry e : decisive) {
        h.append("<li><a href=\"#event-")
            .append(esc(e.eventId()))
            .append("\">")
            .append(esc(e.summary()))
            .append("</a>")
            .append(e.reason() == null ? "" : ": " + esc(e.reason()))
            .append("</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("<ol class=\"timeline\" id=\"timeline\">\n");
    for (TimelineEntry e : timeline.entries()) {
      h.append("<li class=\"event ")
          .append(esc(e.type()))
          .append("\" id=\"event-")
          .append(esc(e.eventId()))
          .append("\">\n<div class=\"head\"><span class=\"time\">")
          .append(esc(e.occurredAt()))
          .append("</span> <span class=\"type\">")
          .append(esc(e.type()))
          .append("</span> <span class=\"actor\">")
          .append(esc(e.actor()))
          .append("</span> <span class=\"producer\">via ")
          .append(esc(e.producer()))
          .append("</span>")
          .append(
              e.cluster() == null ? "" : " <span class=\"cluster\">" + esc(e.cluster()) + "</span>")
          .append("</div>\n<div class=\"summary\">")
          .append(esc(e.summary()))
          .append("</div>\n");
      if (e.reason() != null && !e.reason().isBlank()) {
        h.append("<div class=\"reason\">reason: ").append(esc(e.reason())).append("</div>\n");
      }
      if (!e.digests().isEmpty()) {
        h.append("<div class=\"digests\">");
        e.digests().forEach(d -> h.append("<code>").append(esc(d)).append("</code> "));
        h.append("</div>\n");
      }
      if (e.specDiff() != null && !e.specDiff().isEmpty()) {
        h.append("<pre class=\"diff\">");
        e.specDiff()
            .lines()
            .forEach(
                l ->
                    h.append("<span class=\"")
                        .append(diffClass(l))
                        .append("\">")
                        .append(esc(l))
                        .append("</span>\n"));
        h.append("</pre>\n");
      }
      h.append("<div class=\"ids\">event ")
          .append(esc(e.eventId()))
          .append(" · caused by ")
          .append(esc(e.causationId() == null ? "-" : e.causationId()))
          .append(" · ")
          .append(esc(e.position()))
          .append("</div>\n</li>\n");
    }
    h.append("</ol>\n</body></html>\n");
    return h.toString();
  }

  /** What decided the story: gate decisions, failed steps, failures, roll-backs and the end. */
  private static boolean decisive(TimelineEntry e) {
    if (e.type().equals("GateDecided") || e.type().equals("StepFailed")) {
      return true;
    }
    return e.type().equals("RolloutStatusChanged")
        && java.util.stream.Stream.of(
                "WAVE_FAILED",
                "ROLLBACK_STARTED",
                "ROLLED_BACK",
                "COMPLETED",
                "HALTED",
                "ABORTED",
                "REJECTED",
                "PAUSED",
                "STEP_FAILED",
                "STEP_TIMED_OUT",
                "GATE_TIMED_OUT")
            .anyMatch(t -> e.summary().startsWith(t + " "));
  }

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2em;color:#1d2430;background:#fff}
      h1{font-size:1.4em}.meta{color:#555}
      ul.outcome{background:#fffbe6;border:1px solid #e6d38a;padding:.5em 1.5em;border-radius:4px}
      ul.outcome a{color:#1d2430}
      ol.timeline{list-style:none;padding-left:1.2em;border-left:3px solid #8aa4c8}
      li.event{margin:0 0 .9em 0;padding:.4em .7em;background:#f4f7fb;border-radius:4px}
      li.event.GateDecided,li.event.StepFailed{background:#fdf0ef}
      .head .time{color:#666;font-family:monospace}.head .type{font-weight:bold}
      .head .actor{color:#1b5e9b}.head .producer{color:#777}.head .cluster{color:#6a3d9a}
      .summary{margin-top:.2em}.reason{color:#8a2b1d;margin-top:.2em}
      .digests code{font-size:.8em;color:#444}.ids{font-size:.75em;color:#888;margin-top:.2em}
      pre.diff{background:#fff;border:1px solid #ddd;padding:.4em;font-size:.8em;overflow:auto}
      .add{color:#116611}.del{color:#aa1111}.hunk{color:#555}
      """;

  private static String diffClass(String line) {
    if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("@@")) {
      return "hunk";
    }
    return line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static List<String> columns(List<String[]> rows) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String dash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  private static String write(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
