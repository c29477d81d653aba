package io.stackpilot.planner.spec;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector semantics over cluster labels: a pure function. A null selector and an
 * empty one select everything; NotIn also holds when the label is absent, as in Kubernetes.
 */
public final class FleetSelectorMatcher {
  private FleetSelectorMatcher() {}

  public static boolean matches(FleetSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    for (Map.Entry<String, String> e : selector.matchLabelsOrEmpty().entrySet()) {
      if (e.getValue() == null || !e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (FleetSelector.Requirement r : selector.matchExpressionsOrEmpty()) {
      if (!holds(r, labels)) {
        return false;
      }
    }
    return true;
  }

  /** One requirement; an unknown operator is refused, since the validator should have caught it. */
  public static boolean holds(FleetSelector.Requirement r, Map<String, String> labels) {
    FleetSelector.Operator op =
        FleetSelector.Operator.of(r.operator())
            .orElseThrow(
                () -> new IllegalArgumentException("unknown operator '" + r.operator() + "'"));
    String value = labels.get(r.key());
    return switch (op) {
      case IN -> value != null && r.valuesOrEmpty().contains(value);
      case NOT_IN -> value == null || !r.valuesOrEmpty().contains(value);
      case EXISTS -> labels.containsKey(r.key());
      case DOES_NOT_EXIST -> !labels.containsKey(r.key());
    };
  }

  /** The clusters the selector chooses, in fleet order. */
  public static List<FleetSpec.Cluster> select(
      FleetSelector selector, List<FleetSpec.Cluster> clusters) {
    return clusters.stream().filter(c -> matches(selector, c.labelsOrEmpty())).toList();
  }
}
