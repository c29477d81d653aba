package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.TEMPO_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 000: Tempo's storage block is singular. */
class TempoRulesTest {

  static String tempo(String values) {
    return """
        components:
          - name: tempo
            type: tempo
            namespace: lgtm-system
            %s
            values:
        %s"""
        .formatted(TEMPO_CHART, values.indent(6));
  }

  @Test
  void storageTracesIsRefused() {
    onlyFinding(
        stack(
            tempo(
                """
                tempo:
                  storage:
                    traces:
                      backend: local
                      local:
                        path: /var/tempo/traces
                  compactor:
                    compaction:
                      retention: 360h
                persistence:
                  enabled: true
                  storageClassName: lg-hdd-raw-x1-delete
                  size: 50Gi
                """)),
        "TEMPO-STORAGE-TRACE",
        "stack.spec.components[0].values.tempo.storage.traces");
    clean(
        stack(
            tempo(
                """
                tempo:
                  storage:
                    trace:  # Note: 'trace' not 'traces' - this is the correct field name
                      backend: local
                      local:
                        path: /var/tempo/traces
                  compactor:
                    compaction:
                      retention: 360h
                persistence:
                  enabled: true
                  storageClassName: lg-hdd-raw-x1-delete
                  size: 50Gi
                """)));
  }

  @Test
  void tempoDistributedSpellsItAtTheRoot() {
    onlyFinding(
        stack(tempo("storage:\n  traces:\n    backend: s3\n")),
        "TEMPO-STORAGE-TRACE",
        "stack.spec.components[0].values.storage.traces");
  }

  @Test
  void aPitfallOnlyAClusterOverrideIntroducesIsNamedAtTheOverride() {
    String fleet =
        """
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: homelab}
        spec:
          clusters:
            - {name: foundation, context: foundation, tenant: foundation}
            - name: perso
              context: perso
              tenant: perso
              overrides:
                tempo:
                  values:
                    tempo:
                      storage:
                        traces: {backend: local}
            - {name: cryptellation, context: cryptellation, tenant: cryptellation}
        """;
    onlyFinding(
        stack(tempo("tempo:\n  storage:\n    trace:\n      backend: local\n"), fleet),
        "TEMPO-STORAGE-TRACE",
        "fleet.spec.clusters[1].overrides.tempo.values.tempo.storage.traces");
  }

  @Test
  void aPitfallInTheStackIsNamedOnceHoweverManyClustersGetIt() {
    onlyFinding(
        stack(tempo("storage:\n  traces:\n    backend: s3\n"), Specs.THREE_CLUSTERS),
        "TEMPO-STORAGE-TRACE",
        "stack.spec.components[0].values.storage.traces");
  }
}
