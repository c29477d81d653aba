package io.stackpilot.planner.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code kind: ObservabilityStack}: the components a fleet should run, with chart and values.
 * Values hold Secret references only, never secret values.
 */
public record StackSpec(String apiVersion, String kind, Metadata metadata, Spec spec) {

  /** Object metadata; the name identifies the stack across revisions. */
  public record Metadata(String name) {}

  /** The components of the stack. */
  public record Spec(List<Component> components) {}

  /** One component: where it lives, which chart, what it depends on, its values. */
  public record Component(
      String name,
      ComponentType type,
      String namespace,
      Chart chart,
      List<String> dependsOn,
      Map<String, Object> values) {
    public List<String> dependsOnOrEmpty() {
      return dependsOn == null ? List.of() : dependsOn;
    }

    public Map<String, Object> valuesOrEmpty() {
      return values == null ? Map.of() : values;
    }
  }

  /** A Helm chart in a repository (https or oci). */
  public record Chart(String repository, String name, String version) {}
}
