package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.KPS_CHART;
import static io.stackpilot.planner.rules.Specs.THANOS_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 003: Thanos on SeaweedFS S3, its Secret, and its plain-HTTP transport. */
class ObjectStorageRulesTest {

  static String thanos(String objectStorage) {
    return """
        components:
          - name: thanos
            type: thanos
            namespace: monitoring
            %s
            objectStorage:
        %s    thanos:
              query: {}
              storeGateway: {storage: {storageClass: ceph-block, size: 10Gi}}
              compactor:
                storage: {storageClass: ceph-block, size: 10Gi}
                retention: {raw: 7d, fiveMinutes: 30d, oneHour: 180d}
        """
        .formatted(THANOS_CHART, objectStorage.indent(6));
  }

  @Test
  void thanosWithoutAnObjectStoreSecret() {
    onlyFinding(
        stack(
            thanos(
                """
                endpoint: https://seaweedfs.sharmamohit.com:8333
                bucket: thanos-metrics
                """)),
        "THANOS-OBJSTORE-SECRET",
        "stack.spec.components[0].objectStorage.secretRef");
    clean(
        stack(
            thanos(
                """
                endpoint: https://seaweedfs.sharmamohit.com:8333
                bucket: thanos-metrics
                secretRef: {name: thanos-objstore-secret, keys: {objstore: objstore.yml}}
                """)));
  }

  @Test
  void theChartsOwnSecretReferenceCounts() {
    clean(
        stack(
            thanos("bucket: thanos-metrics\n")
                .replace(
                    "    thanos:\n",
                    "    values: {existingObjstoreSecret: thanos-objstore-secret}\n    thanos:\n")));
  }

  @Test
  void aSidecarWithoutAnObjectStoreSecret() {
    String kps =
        """
        components:
          - name: kube-prometheus-stack
            type: kube-prometheus-stack
            namespace: monitoring
            %s
            values:
              prometheus:
                prometheusSpec:
                  retention: 3d
                  thanos:
                    version: v0.37.2
        %s"""
            .formatted(KPS_CHART, "%s");
    onlyFinding(
        stack(kps.formatted("")),
        "THANOS-OBJSTORE-SECRET",
        "stack.spec.components[0].values.prometheus.prometheusSpec.thanos.objectStorageConfig");
    clean(
        stack(
            kps.formatted(
                """
                objectStorageConfig:
                  existingSecret:
                    name: thanos-objstore-secret
                    key: objstore.yml
                """
                    .indent(12))));
  }

  @Test
  void s3OverPlainHttpIsAWarning() {
    // seed 003: "Currently HTTP (insecure: true) over LAN. TODO: Enable TLS on SeaweedFS"
    onlyFinding(
        stack(
            thanos(
                """
                endpoint: http://seaweedfs.sharmamohit.com:8333
                bucket: thanos-metrics
                insecure: true
                secretRef: {name: thanos-objstore-secret, keys: {objstore: objstore.yml}}
                """)),
        "S3-PLAIN-HTTP",
        "stack.spec.components[0].objectStorage.insecure");
  }

  @Test
  void s3OverPlainHttpInValues() {
    String loki =
        """
        components:
          - name: loki
            type: loki
            namespace: monitoring
            chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.x}
            values:
              loki:
                auth_enabled: false
                storage:
                  type: s3
                  bucketNames: {chunks: loki-chunks, ruler: loki-ruler}
                  s3:
                    endpoint: %s
                    insecure: %s
                    s3ForcePathStyle: true
        %s"""
            .formatted("%s", "%s", Specs.LOKI_SCHEMA.indent(8));
    onlyFinding(
        stack(loki.formatted("http://seaweedfs.sharmamohit.com:8333", "true")),
        "S3-PLAIN-HTTP",
        "stack.spec.components[0].values.loki.storage.s3.insecure");
    clean(stack(loki.formatted("https://seaweedfs.sharmamohit.com:8333", "false")));
  }
}
