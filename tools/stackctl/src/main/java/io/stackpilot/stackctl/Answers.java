package io.stackpilot.stackctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints the planner's answers for people: the plan, the findings, or what was wrong. */
final class Answers {
  private Answers() {}

  static void print(PlannerClient.Answer answer, PrintWriter out) {
    JsonNode body = answer.body();
    if (answer.status() >= 400) {
      out.printf(
          "refused (HTTP %d): %s%n",
          answer.status(), body.path("detail").asText(body.path("title").asText()));
      body.path("violations")
          .forEach(
              v -> out.printf("  %s: %s%n", v.path("field").asText(), v.path("message").asText()));
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
}
