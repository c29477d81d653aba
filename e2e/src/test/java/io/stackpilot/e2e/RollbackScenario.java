package io.stackpilot.e2e;

import io.stackpilot.events.GateSubject;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.fleet.simulator.FleetSimulator;
import java.util.List;

/**
 * The failed-gate scenario RollbackE2E and AuditE2E both run: loki and tempo on three clusters
 * (canary, then batches of one, {@code onGateFailure: rollback-wave}); revision 2 changes tempo's
 * chart and retention, and the verifier's read of the second wave's tempo HelmRelease is refused
 * once, so the real verifier judges that wave's gate ROLL_BACK.
 */
record RollbackScenario(String namespace, String canary, String one, String two, int soakSeconds) {

  /** The stack and fleet at one revision of tempo. */
  String spec(String stack, String tempoVersion, String tempoRetention) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata:
          name: %1$s
        spec:
          components:
            - name: loki
              type: loki
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.46.0}
              values:
                deploymentMode: SingleBinary
                loki:
                  schemaConfig:
                    configs:
                      - {from: "2024-01-01", store: tsdb, object_store: filesystem, schema: v13, index: {prefix: index_, period: 24h}}
            - name: tempo
              type: tempo
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: %3$s}
              values:
                tempo:
                  retention: %4$s
                  storage: {trace: {backend: local}}
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: %1$s
        spec:
          clusters:
            - {name: %5$s, context: %5$s, tenant: canary}
            - {name: %6$s, context: %6$s, tenant: one}
            - {name: %7$s, context: %7$s, tenant: two}
          rollout:
            canary: [%5$s]
            batchSize: 1
            soakSeconds: %8$d
            onGateFailure: rollback-wave
        """
        .formatted(stack, namespace, tempoVersion, tempoRetention, canary, one, two, soakSeconds);
  }

  /**
   * The simulated API server of the second wave's cluster refuses the next GET of its tempo
   * HelmRelease (as the gate request lists it) with 403, as if the verifier's read access had been
   * revoked for a moment: the objects stay as they are.
   */
  void refuseOneRead(FleetSimulator fleet, List<GateSubject> subjects) {
    ResourceRef ref =
        subjects.stream()
            .filter(s -> s.getCluster().equals(one) && s.getComponent().equals("tempo"))
            .flatMap(s -> s.getResources().stream())
            .filter(r -> r.getKind().equals("HelmRelease"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no tempo HelmRelease among " + subjects));
    String path =
        "/apis/"
            + ref.getApiVersion()
            + "/namespaces/"
            + ref.getNamespace()
            + "/helmreleases/"
            + ref.getName();
    String forbidden =
        """
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
         "message":"helmreleases.helm.toolkit.fluxcd.io \\"%s\\" is forbidden","reason":"Forbidden",
         "code":403}"""
            .formatted(ref.getName());
    fleet.expect(one).get().withPath(path).andReturn(403, forbidden).once();
  }
}
