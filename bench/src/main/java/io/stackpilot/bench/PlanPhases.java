package io.stackpilot.bench;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.rollout.PlanEvents;
import io.stackpilot.planner.rules.Rule;
import io.stackpilot.planner.rules.RuleBook;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import io.stackpilot.runtime.Envelopes;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where plan-only time goes: the steps of {@code Admission.admit} (parse, validate, rules, plan)
 * and the event mapping, each timed on its own with the planner's public classes, next to a whole
 * {@code Admission.admit} of the same change. Not part of the figures above; a pointer to what
 * dominates.
 */
final class PlanPhases {
  private static final int TOP_RULES = 5;

  private final SpecParser parser = new SpecParser();
  private final SpecValidator validator = new SpecValidator();
  private final RuleBook rules = RuleBook.standard();
  private final RolloutPlanner planner = new RolloutPlanner();
  private final PlanEvents events =
      new PlanEvents(new Envelopes(PlanWorkload.SERVICE, Clock.systemUTC()));

  /** Runs each change through the phases and prints the mean wall time of each, per plan. */
  void print(PrintStream out, List<DesiredStateChanged> changes, PlanWorkload workload) {
    String documents = workload.documents();
    int steps = workload.stepsPerPlan();
    Map<String, Long> phases = new LinkedHashMap<>();
    Map<String, Long> byRule = new LinkedHashMap<>();
    long whole = 0;
    for (DesiredStateChanged change : changes) {
      long w0 = System.nanoTime();
      workload.plan(change);
      whole += System.nanoTime() - w0;
      long t0 = System.nanoTime();
      SpecParser.Declared declared = parser.parse(documents);
      long t1 = System.nanoTime();
      validator.validate(declared);
      long t2 = System.nanoTime();
      rules.evaluate(declared);
      long t3 = System.nanoTime();
      Plan plan = planner.plan(declared.stack(), declared.fleet(), correlationId(change));
      long t4 = System.nanoTime();
      RolloutPlanned planned = events.rolloutPlanned(change, plan);
      events.stepsRequested(planned, plan);
      long t5 = System.nanoTime();
      // diagnostic, outside the phases: each rule alone
      for (Rule rule : rules.rules()) {
        long r0 = System.nanoTime();
        rule.check(declared);
        byRule.merge(rule.id(), System.nanoTime() - r0, Long::sum);
      }
      phases.merge("parse (YAML -> specs)", t1 - t0, Long::sum);
      phases.merge("validate", t2 - t1, Long::sum);
      phases.merge("rules (" + rules.rules().size() + ")", t3 - t2, Long::sum);
      phases.merge("plan (waves, steps, digests)", t4 - t3, Long::sum);
      phases.merge("events (RolloutPlanned + steps)", t5 - t4, Long::sum);
    }
    int n = changes.size();
    out.printf(
        "%nwhere plan + events time goes (wall time, mean of %d plans, timed separately)%n", n);
    out.printf("%-34s %10s %12s%n", "phase", "ms/plan", "us/step");
    phases.forEach((phase, nanos) -> line(out, phase, nanos, n, steps));
    line(out, "for comparison: Admission.admit", whole, n, steps);
    out.printf(
        "slowest rules, each run alone (so each builds the views and endpoints the book shares):%n");
    byRule.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP_RULES)
        .forEach(e -> line(out, "  " + e.getKey(), e.getValue(), n, steps));
  }

  private static void line(PrintStream out, String label, long nanos, int plans, int steps) {
    double msPerPlan = nanos / 1e6 / plans;
    out.printf("%-34s %10.1f %12.2f%n", label, msPerPlan, msPerPlan * 1e3 / steps);
  }

  private static String correlationId(DesiredStateChanged change) {
    return change.getEnvelope().getCorrelationId();
  }
}
