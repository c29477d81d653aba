package io.stackpilot.stackctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints the planner's answers for people: the plan, its diff, the findings, or what was wrong. */
final class Answers {
  private Answers() {}

  /** A declaration's answer: the plan and what it changes, or the problem; then the findings. */
  static void print(PlannerClient.Answer answer, PrintWriter out) {
    JsonNode body = answer.body();
    if (!answer.ok()) {
      problem(answer, out);
    } else if (body.path("unchanged").asBoolean(false)) {
      out.printf("%s: no changes%n", body.path("stack").asText("the stack"));
    } else {
      out.printf(
          "%s: %d steps on %d clusters, %d waves%n",
          body.path("stack").asText(),
          body.path("steps").asInt(),
          body.path("clusters").size(),
          body.path("waves").size());
      body.path("waves")
          .forEach(
              w ->
                  out.printf(
                      "  wave %d %-10s %s%n",
                      w.path("index").asInt(), w.path("name").asText(), w.path("clusters")));
      diff(body.path("diff"), out);
    }
    body.path("findings")
        .forEach(
            f ->
                out.printf(
                    "  %-7s %-26s %s%n          %s%s%n",
                    f.path("severity").asText(),
                    f.path("ruleId").asText(),
                    f.path("field").asText(),
                    f.path("message").asText(),
                    f.path("overriddenBy").isTextual()
                        ? " (overridden by " + f.path("overriddenBy").asText() + ")"
                        : ""));
  }

  /** What the plan changes, one line per cluster and component. */
  static void diff(JsonNode diff, PrintWriter out) {
    if (diff.isEmpty()) {
      return;
    }
    out.println("  changes:");
    Table table = new Table();
    diff.forEach(
        d ->
            table.row(
                "   ",
                Table.text(d, "change"),
                Table.text(d, "cluster") + "/" + Table.text(d, "component"),
                version(d.path("fromVersion")) + " -> " + version(d.path("toVersion")),
                "(" + digest(d.path("fromDigest")) + " -> " + digest(d.path("toDigest")) + ")"));
    table.print(out);
  }

  /** A refusal: the problem's detail, the fields at fault, and what to do about some of them. */
  static void problem(PlannerClient.Answer answer, PrintWriter out) {
    JsonNode body = answer.body();
    out.printf(
        "refused (HTTP %d): %s%n",
        answer.status(), body.path("detail").asText(body.path("title").asText()));
    body.path("violations")
        .forEach(
            v -> out.printf("  %s: %s%n", v.path("field").asText(), v.path("message").asText()));
    if (answer.status() == 401 || answer.status() == 403) {
      out.println("  pass the planner's token with --token-file FILE or $STACKPILOT_API_TOKEN");
    }
    if (answer.status() == 409 && body.path("rolloutId").isTextual()) {
      String active = body.path("rolloutId").asText();
      out.printf("  active rollout: %s (stackctl rollout status %s)%n", active, active);
    }
  }

  private static String version(JsonNode version) {
    return version.isTextual() && !version.asText().isEmpty() ? version.asText() : "none";
  }

  /** Enough of a digest to tell two apart: {@code sha256:} and 12 hex digits. */
  static String digest(JsonNode digest) {
    if (!digest.isTextual() || digest.asText().isEmpty()) {
      return "none";
    }
    String d = digest.asText();
    int start = d.indexOf(':') + 1;
    return d.length() > start + 12 ? d.substring(0, start + 12) : d;
  }
}
