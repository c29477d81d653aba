package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.SpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule from one seed's pitfall: checks every view of the stack (as declared, and per cluster) and
 * reports each distinct finding once.
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
  public List<Finding> check(SpecParser.Declared declared) {
    Map<String, Finding> distinct = new LinkedHashMap<>();
    for (StackView view : StackView.of(declared)) {
      List<Finding> found = new ArrayList<>();
      check(view, found);
      found.forEach(f -> distinct.putIfAbsent(f.field() + "\n" + f.message(), f));
    }
    return List.copyOf(distinct.values());
  }

  /** Checks one view; the default checks each component. */
  void check(StackView view, List<Finding> out) {
    for (StackView.ComponentView c : view.components()) {
      check(view, c, out);
    }
  }

  void check(StackView view, StackView.ComponentView c, List<Finding> out) {}

  final Finding finding(String field, String message) {
    return new Finding(id, severity, field, message, hint, seed);
  }

  final Finding finding(String field, String message, String specificHint) {
    return new Finding(id, severity, field, message, specificHint, seed);
  }
}
