package io.stackpilot.planner.spec;

/**
 * Thanos's typed section (seed 003): the sidecar in a kube-prometheus-stack component's Prometheus
 * uploading blocks, Query federating sidecar and store gateway, the store gateway serving old
 * blocks, and the compactor downsampling. All use the component's {@code objectStorage}.
 */
public record ThanosSettings(Sidecar sidecar, Part query, Part storeGateway, Compactor compactor) {

  /** The sidecar runs in the Prometheus of this kube-prometheus-stack component. */
  public record Sidecar(String prometheus) {}

  /** A Thanos part, with its volume when it has one. */
  public record Part(StackSpec.Storage storage) {}

  /** The compactor: its volume and how long each resolution is kept. */
  public record Compactor(StackSpec.Storage storage, Retention retention) {}

  /**
   * Retention per resolution (seed 003: raw 7d, 5m downsampled 30d, 1h downsampled 180d); the
   * compactor's {@code --retention.resolution-raw|5m|1h}.
   */
  public record Retention(String raw, String fiveMinutes, String oneHour) {}
}
