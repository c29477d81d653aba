package io.stackpilot.stackctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Set;

/** Rollouts as the planner's API shows them, printed for people. */
final class RolloutViews {
  /** Step states worth a person's attention in a status. */
  private static final Set<String> FAILED_STEPS = Set.of("FAILED", "TIMED_OUT");

  private RolloutViews() {}

  /** One line: id, stack, phase and how far it got. */
  static String summary(JsonNode rollout) {
    return String.format(
        "rollout %s  %s  %s  %s",
        Table.text(rollout, "rolloutId"),
        Table.text(rollout, "stack"),
        Table.text(rollout, "phase"),
        progress(rollout.path("progress")));
  }

  static String progress(JsonNode p) {
    return String.format(
        "waves %d/%d promoted; steps %d/%d applied, %d requested, %d healthy, %d failed",
        p.path("wavesPromoted").asInt(),
        p.path("wavesTotal").asInt(),
        p.path("stepsApplied").asInt(),
        p.path("stepsTotal").asInt(),
        p.path("stepsRequested").asInt(),
        p.path("stepsHealthy").asInt(),
        p.path("stepsFailed").asInt());
  }

  /** The whole status: phase and why, progress, every wave, and the steps that went wrong. */
  static void status(JsonNode r, PrintWriter out) {
    new Table()
        .row("rollout", Table.text(r, "rolloutId"))
        .row("stack", Table.text(r, "stack"))
        .row("phase", Table.text(r, "phase"))
        .row("reason", Table.text(r, "reason"))
        .row("actor", Table.text(r, "actor"))
        .row("started", Table.text(r, "startedAt"))
        .row("updated", Table.text(r, "updatedAt"))
        .row("progress", progress(r.path("progress")))
        .print(out);

    Table waves = new Table().row("WAVE", "NAME", "STATE", "CLUSTERS");
    r.path("waves")
        .forEach(
            w ->
                waves.row(
                    Table.text(w, "index"),
                    Table.text(w, "name"),
                    Table.text(w, "state"),
                    Table.list(w.path("clusters"))));
    out.println();
    waves.print(out);

    Table failed =
        new Table().row("WAVE", "CLUSTER", "COMPONENT", "CHANGE", "ACTION", "STATE", "DETAIL");
    int count = 0;
    for (JsonNode s : r.path("steps")) {
      if (FAILED_STEPS.contains(s.path("state").asText())) {
        failed.row(
            Table.text(s, "wave"),
            Table.text(s, "cluster"),
            Table.text(s, "component"),
            Table.text(s, "change"),
            Table.text(s, "action"),
            Table.text(s, "state"),
            Table.text(s, "detail"));
        count++;
      }
    }
    if (count > 0) {
      out.println();
      out.printf("%d failed or timed-out step%s:%n", count, count == 1 ? "" : "s");
      failed.print(out);
    }
    out.flush();
  }

  /** {@code GET /rollouts}: one row per rollout, newest first as the planner sends them. */
  static void list(JsonNode body, PrintWriter out) {
    JsonNode rollouts = body.path("rollouts");
    if (rollouts.isEmpty()) {
      out.println("no rollouts");
      return;
    }
    Table table =
        new Table().row("ROLLOUT", "STACK", "PHASE", "WAVES", "APPLIED", "FAILED", "UPDATED");
    rollouts.forEach(
        r -> {
          JsonNode p = r.path("progress");
          table.row(
              Table.text(r, "rolloutId"),
              Table.text(r, "stack"),
              Table.text(r, "phase"),
              p.path("wavesPromoted").asInt() + "/" + p.path("wavesTotal").asInt(),
              p.path("stepsApplied").asInt() + "/" + p.path("stepsTotal").asInt(),
              String.valueOf(p.path("stepsFailed").asInt()),
              Table.text(r, "updatedAt"));
        });
    table.print(out);
  }
}
