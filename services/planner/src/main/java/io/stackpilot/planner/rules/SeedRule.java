package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.SpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule from one seed's pitfall: checks every view of the stack that can differ (as declared, and
 * per cluster that overrides something) and reports each distinct finding once. A seed rule looks
 * at values, never at the cluster itself (a rule that does, like {@link TenantHeaderPerCluster},
 * walks every cluster's view on its own).
 */
abstract class SeedRule implements Rule {
  private final String id;
  private final Severity severity;
  private final String seed;
  private final String summary;
  private final String hint;

  SeedRule(String id, Severity severity, String seed, String summary, String hint) {
    this.id = id;
    this.severity = severity;
    this.seed = seed;
    this.summary = summary;
    this.hint = hint;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Severity severity() {
    return severity;
  }

  @Override
  public final String seed() {
    return seed;
  }

  @Override
  public final String summary() {
    return summary;
  }

  /** The fix, as docs/rules.md gives it. */
  final String hint() {
    return hint;
  }

  @Override
  public final List<Finding> check(SpecParser.Declared declared) {
    return check(Views.of(declared));
  }

  /** Checks the views {@link RuleBook} built once for all rules. */
  List<Finding> check(Views views) {
    Map<String, Finding> distinct = new LinkedHashMap<>();
    for (StackView view : views.distinct()) {
      List<Finding> found = new ArrayList<>();
      check(views, view, found);
      found.forEach(f -> distinct.putIfAbsent(f.field() + "\n" + f.message(), f));
    }
    return List.copyOf(distinct.values());
  }

  /**
   * Checks one view; the default checks each component on its own. In a cluster's view only the
   * components the cluster overrides can differ from the declared view, so only those are checked
   * again there.
   */
  void check(Views views, StackView view, List<Finding> out) {
    for (StackView.ComponentView c : view.components()) {
      if (view.declaredView() || c.override() != null) {
        check(c, out);
      }
    }
  }

  /** Checks one component from its own spec and values alone. */
  void check(StackView.ComponentView c, List<Finding> out) {}

  final Finding finding(String field, String message) {
    return new Finding(id, severity, field, message, hint, seed);
  }

  final Finding finding(String field, String message, String specificHint) {
    return new Finding(id, severity, field, message, specificHint, seed);
  }
}
