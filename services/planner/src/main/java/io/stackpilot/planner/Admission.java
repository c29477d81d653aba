package io.stackpilot.planner;

import io.stackpilot.events.FindingSeverity;
import io.stackpilot.events.ValidationFinding;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.rules.Finding;
import io.stackpilot.planner.rules.Rule;
import io.stackpilot.planner.rules.RuleBook;
import io.stackpilot.planner.rules.Severity;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a declaration must pass before it may become a rollout: structure, references, the
 * seeds' pitfall rules, and a plan (which also refuses dependency cycles). One path for the REST
 * API and for the consumer that plans recorded changes, so both judge alike.
 */
public final class Admission {
  private final SpecParser parser = new SpecParser();
  private final SpecValidator validator = new SpecValidator();
  private final RuleBook rules = RuleBook.standard();
  private final RolloutPlanner planner = new RolloutPlanner();

  /** Who asked to go on despite which blocking rules, and why; recorded in the event. */
  public record Overrides(String actor, String reason, Set<String> ruleIds) {
    public static Overrides none() {
      return new Overrides(null, null, Set.of());
    }
  }

  /** A declaration that may be rolled out, with its findings and its plan. */
  public record Admitted(
      SpecParser.Declared declared, List<ValidationFinding> findings, Plan plan) {}

  /**
   * @throws SpecException for structural errors, unknown overrides and dependency cycles
   * @throws BlockedByRulesException for ERROR findings that were not overridden
   */
  public Admitted admit(String documents, String rolloutId, Overrides overrides) {
    SpecParser.Declared declared = parser.parse(documents);
    validator.validate(declared);
    checkOverridesNameRules(overrides);
    List<Finding> findings = rules.evaluate(declared);
    List<Finding> blocking =
        findings.stream()
            .filter(f -> f.severity() == Severity.ERROR)
            .filter(f -> !overrides.ruleIds().contains(f.ruleId()))
            .toList();
    if (!blocking.isEmpty()) {
      throw new BlockedByRulesException(blocking, findings);
    }
    Plan plan = planner.plan(declared.stack(), declared.fleet(), rolloutId);
    return new Admitted(declared, record(findings, overrides), plan);
  }

  private void checkOverridesNameRules(Overrides overrides) {
    Set<String> known = rules.rules().stream().map(Rule::id).collect(Collectors.toSet());
    List<SpecException.Violation> unknown = new ArrayList<>();
    for (String id : overrides.ruleIds()) {
      if (!known.contains(id)) {
        unknown.add(new SpecException.Violation("override", "no rule named '" + id + "'"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new SpecException(unknown);
    }
  }

  private static List<ValidationFinding> record(List<Finding> findings, Overrides overrides) {
    return findings.stream()
        .map(
            f -> {
              boolean overridden =
                  f.severity() == Severity.ERROR && overrides.ruleIds().contains(f.ruleId());
              return ValidationFinding.newBuilder()
                  .setRuleId(f.ruleId())
                  .setSeverity(FindingSeverity.valueOf(f.severity().name()))
                  .setField(f.field())
                  .setMessage(f.message())
                  .setHint(f.hint() == null ? "" : f.hint())
                  .setSeed(f.seed())
                  .setOverriddenBy(overridden ? overrides.actor() : null)
                  .setOverrideReason(overridden ? overrides.reason() : null)
                  .build();
            })
        .toList();
  }

  /** The overrides an already-recorded change carries: the ERRORs someone overrode. */
  public static Overrides recordedIn(List<ValidationFinding> findings) {
    Set<String> ids =
        findings.stream()
            .filter(f -> f.getOverriddenBy() != null)
            .map(ValidationFinding::getRuleId)
            .collect(Collectors.toSet());
    String actor =
        findings.stream()
            .map(ValidationFinding::getOverriddenBy)
            .filter(a -> a != null)
            .findFirst()
            .orElse(null);
    return new Overrides(actor, null, ids);
  }
}
