package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 000: Longhorn 1.10+ storage classes need dataEngine. */
class LonghornRulesTest {

  static String stackWith(String parameters) {
    return """
        components:
          - name: tempo
            type: tempo
            namespace: lgtm-system
            chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: 1.24.0}
            storage: {storageClass: lg-hdd-raw-x1-delete, size: 50Gi}
        storageClasses:
          - name: lg-hdd-raw-x1-delete
            provisioner: driver.longhorn.io
            reclaimPolicy: Delete
            parameters:
        %s"""
        .formatted(parameters.indent(6));
  }

  @Test
  void aLonghornClassWithoutDataEngine() {
    onlyFinding(
        stack(stackWith("numberOfReplicas: \"1\"\n")),
        "LONGHORN-DATA-ENGINE",
        "stack.spec.storageClasses[0].parameters.dataEngine");
    clean(
        stack(
            stackWith(
                """
                numberOfReplicas: "1"
                dataEngine: "v1"  # Required for Longhorn 1.10.0+ CSI capacity tracking
                """)));
  }
}
