package io.stackpilot.planner.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes label selector over cluster labels: every {@code matchLabels} entry and every {@code
 * matchExpressions} requirement must hold. {@link FleetSelectorMatcher} evaluates it.
 */
public record FleetSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  public Map<String, String> matchLabelsOrEmpty() {
    return matchLabels == null ? Map.of() : matchLabels;
  }

  public List<Requirement> matchExpressionsOrEmpty() {
    return matchExpressions == null ? List.of() : matchExpressions;
  }

  /** One requirement: {@code key}, an operator, and the values In/NotIn compare against. */
  public record Requirement(String key, String operator, List<String> values) {
    public List<String> valuesOrEmpty() {
      return values == null ? List.of() : values;
    }
  }

  /** The operators of Kubernetes set-based requirements, spelt as in Kubernetes. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String yamlName;

    Operator(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }

    /** In and NotIn compare values; Exists and DoesNotExist take none. */
    public boolean takesValues() {
      return this == IN || this == NOT_IN;
    }

    public static Optional<Operator> of(String name) {
      return Arrays.stream(values()).filter(o -> o.yamlName.equals(name)).findFirst();
    }
  }
}
