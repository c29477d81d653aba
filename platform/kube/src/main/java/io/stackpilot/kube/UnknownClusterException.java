package io.stackpilot.kube;

/** A step names a cluster no kubeconfig context reaches: a permanent failure. */
public class UnknownClusterException extends RuntimeException {
  private final String cluster;

  public UnknownClusterException(String cluster, String detail) {
    super("unknown cluster '" + cluster + "': " + detail);
    this.cluster = cluster;
  }

  public String cluster() {
    return cluster;
  }
}
