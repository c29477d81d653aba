package io.stackpilot.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import java.util.List;

/**
 * Minimal, otherwise valid declarations around a seed's snippet, and the assertions the rule tests
 * share: the broken snippet yields exactly its rule's findings and no other error; the fixed one
 * yields none.
 */
final class Specs {
  /** Seeds 000, 002-004: one cluster, tenant homelab. */
  static final String ONE_CLUSTER =
      """
      ---
      apiVersion: stackpilot.io/v1alpha1
      kind: Fleet
      metadata: {name: homelab}
      spec:
        clusters: [{name: homelab, context: homelab, tenant: homelab}]
      """;

  /** Seed 001: three clusters, one tenant each. */
  static final String THREE_CLUSTERS =
      """
      ---
      apiVersion: stackpilot.io/v1alpha1
      kind: Fleet
      metadata: {name: homelab}
      spec:
        clusters:
          - {name: foundation, context: foundation, tenant: foundation}
          - {name: cryptellation, context: cryptellation, tenant: cryptellation}
          - {name: perso, context: perso, tenant: perso}
      """;

  private Specs() {}

  /** A stack whose {@code spec:} body is given (components, storageClasses), one cluster. */
  static SpecParser.Declared stack(String specBody) {
    return stack(specBody, ONE_CLUSTER);
  }

  static SpecParser.Declared stack(String specBody, String fleet) {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
        """
            + specBody.indent(2)
            + fleet;
    SpecParser.Declared declared = new SpecParser().parse(yaml);
    new SpecValidator().validate(declared);
    return declared;
  }

  static List<Finding> findings(SpecParser.Declared declared) {
    return RuleBook.standard().evaluate(declared);
  }

  /** The rule's findings are exactly at these fields, and no other rule reports an error. */
  static void onlyFinding(SpecParser.Declared declared, String ruleId, String... fields) {
    List<Finding> all = findings(declared);
    assertThat(all)
        .as("findings of %s", ruleId)
        .filteredOn(f -> f.ruleId().equals(ruleId))
        .extracting(Finding::field)
        .containsExactly(fields);
    assertThat(all)
        .as("no other rule's errors")
        .filteredOn(f -> f.severity() == Severity.ERROR)
        .allSatisfy(f -> assertThat(f.ruleId()).isEqualTo(ruleId));
    Rule rule =
        RuleBook.standard().rules().stream()
            .filter(r -> r.id().equals(ruleId))
            .findFirst()
            .orElseThrow();
    assertThat(all)
        .filteredOn(f -> f.ruleId().equals(ruleId))
        .allSatisfy(
            f -> {
              assertThat(f.severity()).isEqualTo(rule.severity());
              assertThat(f.seed()).isEqualTo(rule.seed());
              assertThat(f.hint()).isNotBlank();
              assertThat(f.message()).isNotBlank();
            });
  }

  /** No finding at all: the fixed snippet is clean. */
  static void clean(SpecParser.Declared declared) {
    assertThat(findings(declared)).isEmpty();
  }

  static final String MIMIR_CHART =
      "chart: {repository: https://grafana.github.io/helm-charts, name: mimir-distributed,"
          + " version: 6.0.1}";
  static final String LOKI_CHART =
      "chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.46.0}";
  static final String TEMPO_CHART =
      "chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: 1.24.0}";
  static final String ALLOY_CHART =
      "chart: {repository: https://grafana.github.io/helm-charts, name: alloy, version: 1.4.0}";
  static final String GRAFANA_CHART =
      "chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 10.1.4}";
  static final String KPS_CHART =
      "chart: {repository: https://prometheus-community.github.io/helm-charts, name:"
          + " kube-prometheus-stack, version: 81.x}";
  static final String THANOS_CHART =
      "chart: {repository: oci://registry-1.docker.io/bitnamicharts, name: thanos, version:"
          + " 17.x}";

  /** Seed 000's Loki schema, for stacks whose Loki is not the point of the test. */
  static final String LOKI_SCHEMA =
      """
      schemaConfig:
        configs:
          - from: "2024-01-01"
            store: tsdb
            object_store: filesystem
            schema: v13
            index:
              prefix: index_
              period: 24h
      """;
}
