package io.stackpilot.planner.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every structural and reference error names its field path. */
class SpecParserTest {
  static final String FLEET =
      """
      ---
      apiVersion: stackpilot.io/v1alpha1
      kind: Fleet
      metadata: {name: f}
      spec:
        clusters: [{name: c1, tenant: t1}]
      """;

  final SpecParser parser = new SpecParser();
  final SpecValidator validator = new SpecValidator();

  @Test
  void anUnknownFieldIsNamedWithItsPath() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components: [{name: a, type: other, namespace: n, chart: {repository: r, name: a, versoin: "1"}}]
        """
            + FLEET;
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("stack.spec.components[0].chart.versoin: unknown field 'versoin'");
  }

  @Test
  void aWrongTypeIsNamed() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components: [{name: a, type: other, namespace: n, chart: {repository: r, name: a, version: "1"}, dependsOn: {x: 1}}]
        """
            + FLEET;
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("stack.spec.components[0].dependsOn");
  }

  @Test
  void missingRequiredFieldsAreAllReported() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components: [{name: Bad_Name, type: other, chart: {repository: r, name: a}}]
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: f}
        spec:
          clusters: [{name: c1}]
          rollout: {canary: [c9]}
        """;
    SpecParser.Declared declared = parser.parse(yaml);
    assertThatThrownBy(() -> validator.validate(declared))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.violations())
                    .extracting(SpecException.Violation::field)
                    .containsExactlyInAnyOrder(
                        "stack.spec.components[0].name",
                        "stack.spec.components[0].namespace",
                        "stack.spec.components[0].chart.version",
                        "fleet.spec.clusters[0].tenant",
                        "fleet.spec.rollout.canary[0]"));
  }

  @Test
  void aWrongApiVersionOrKindIsRefused() {
    assertThatThrownBy(() -> parser.parse("apiVersion: v1\nkind: ConfigMap\n"))
        .hasMessageContaining("document[0].apiVersion");
    assertThatThrownBy(() -> parser.parse("apiVersion: stackpilot.io/v1alpha1\nkind: Pod\n"))
        .hasMessageContaining("document[0].kind");
    assertThatThrownBy(() -> parser.parse("{ not: yaml: at all"))
        .hasMessageContaining("not valid YAML at line 1");
  }
}
