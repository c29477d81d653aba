package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.MIMIR_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 000's mimir-distributed pitfalls, each from the seed's own values. */
class MimirRulesTest {

  static String mimir(String values) {
    return """
        components:
          - name: mimir
            type: mimir
            namespace: lgtm-system
            %s
            values:
        %s"""
        .formatted(MIMIR_CHART, values.indent(6));
  }

  @Test
  void persistenceInsteadOfPersistentVolume() {
    onlyFinding(
        stack(
            mimir(
                """
                ingester:
                  replicas: 1
                  persistence:
                    enabled: true
                    storageClass: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)),
        "MIMIR-PERSISTENT-VOLUME",
        "stack.spec.components[0].values.ingester.persistence");
    clean(
        stack(
            mimir(
                """
                ingester:
                  replicas: 1
                  persistentVolume:  # Note: 'persistentVolume' not 'persistence'
                    enabled: true
                    storageClass: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)));
  }

  @Test
  void storageClassNameInsteadOfStorageClass() {
    onlyFinding(
        stack(
            mimir(
                """
                compactor:
                  replicas: 1
                  persistentVolume:
                    enabled: true
                    storageClassName: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)),
        "MIMIR-STORAGE-CLASS",
        "stack.spec.components[0].values.compactor.persistentVolume.storageClassName");
    clean(
        stack(
            mimir(
                """
                compactor:
                  replicas: 1
                  persistentVolume:
                    enabled: true
                    storageClass: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)));
  }

  @Test
  void storeGatewayInCamelCase() {
    onlyFinding(
        stack(
            mimir(
                """
                storeGateway:
                  replicas: 1
                  persistentVolume:
                    enabled: true
                    storageClass: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)),
        "MIMIR-STORE-GATEWAY-KEY",
        "stack.spec.components[0].values.storeGateway");
    clean(
        stack(
            mimir(
                """
                store_gateway:  # Note: snake_case, not camelCase
                  replicas: 1
                  persistentVolume:
                    enabled: true
                    storageClass: lg-hdd-raw-x1-delete
                    size: 50Gi
                """)));
  }

  static final String STRUCTURED_CONFIG =
      """
      mimir:
        structuredConfig:
          target: all
          tenant_federation:
            enabled: true
          blocks_storage:
            backend: filesystem
            filesystem:
              dir: /data/blocks
            tsdb:
              dir: /data/tsdb
          common:
            storage:
              filesystem:
                dir: /data/blocks
          ingest_storage:
            enabled: false
      %s    compactor:
            data_dir: /data/compactor
      """;

  @Test
  void mimir3WithIngestStorageOffNeedsPushGrpc() {
    onlyFinding(
        stack(mimir(STRUCTURED_CONFIG.formatted(""))),
        "MIMIR-PUSH-GRPC",
        "stack.spec.components[0].values.mimir.structuredConfig.ingester.push_grpc_method_enabled");
    clean(
        stack(
            mimir(
                STRUCTURED_CONFIG.formatted(
                    """
                        ingester:
                          # Enable Push gRPC method when ingest_storage is disabled
                          # This is required for Mimir v3.0.0+
                          push_grpc_method_enabled: true
                    """))));
  }

  @Test
  void mimir2ChartsDoNotNeedPushGrpc() {
    clean(
        stack(mimir(STRUCTURED_CONFIG.formatted("")).replace("version: 6.0.1", "version: 5.8.0")));
  }

  @Test
  void overlappingDataPaths() {
    // seed 000: "The initial configuration used /var/mimir/data for multiple components"
    onlyFinding(
        stack(
            mimir(
                """
                mimir:
                  structuredConfig:
                    blocks_storage:
                      backend: filesystem
                      filesystem:
                        dir: /var/mimir/data
                      tsdb:
                        dir: /var/mimir/data
                    compactor:
                      data_dir: /var/mimir/data
                """)),
        "MIMIR-DATA-PATHS",
        "stack.spec.components[0].values.mimir.structuredConfig.blocks_storage.tsdb.dir",
        "stack.spec.components[0].values.mimir.structuredConfig.compactor.data_dir");
    clean(
        stack(
            mimir(
                """
                mimir:
                  structuredConfig:
                    blocks_storage:
                      filesystem:
                        dir: /data/blocks
                      tsdb:
                        dir: /data/tsdb
                    common:
                      storage:
                        filesystem:
                          dir: /data/blocks
                    ruler_storage:
                      filesystem:
                        dir: /data/ruler-storage
                    alertmanager:
                      data_dir: /data/alertmanager
                    compactor:
                      data_dir: /data/compactor
                    ruler:
                      rule_path: /data/ruler-rules
                """)));
  }

  @Test
  void aNestedDirectoryOverlapsToo() {
    onlyFinding(
        stack(
            mimir(
                """
                mimir:
                  structuredConfig:
                    blocks_storage:
                      filesystem:
                        dir: /data
                    compactor:
                      data_dir: /data/compactor
                """)),
        "MIMIR-DATA-PATHS",
        "stack.spec.components[0].values.mimir.structuredConfig.compactor.data_dir");
  }
}
