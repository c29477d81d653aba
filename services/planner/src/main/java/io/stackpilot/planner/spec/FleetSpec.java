package io.stackpilot.planner.spec;

import java.util.List;
import java.util.Map;

/** {@code kind: Fleet}: the clusters a stack rolls out to, and how progressively. */
public record FleetSpec(String apiVersion, String kind, Metadata metadata, Spec spec) {

  /** Object metadata. */
  public record Metadata(String name) {}

  /** Clusters and the rollout strategy. */
  public record Spec(List<Cluster> clusters, Rollout rollout) {}

  /** One cluster: its kubeconfig context and the tenant (X-Scope-OrgID) its telemetry uses. */
  public record Cluster(String name, String context, String tenant, Map<String, String> labels) {}

  /** Canary clusters first, then batches of {@code batchSize} clusters. */
  public record Rollout(List<String> canary, Integer batchSize, Integer soakSeconds) {}
}
