package io.stackpilot.planner.spec;

import java.util.List;

/** A declared stack or fleet is invalid; each violation names the field it is about. */
public class SpecException extends RuntimeException {
  private final List<Violation> violations;

  public SpecException(List<Violation> violations) {
    super(
        violations.stream()
            .map(v -> v.field() + ": " + v.message())
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid spec"));
    this.violations = List.copyOf(violations);
  }

  public static SpecException of(String field, String message) {
    return new SpecException(List.of(new Violation(field, message)));
  }

  public List<Violation> violations() {
    return violations;
  }

  /** One problem, at one field path such as {@code stack.spec.components[2].chart.version}. */
  public record Violation(String field, String message) {}
}
