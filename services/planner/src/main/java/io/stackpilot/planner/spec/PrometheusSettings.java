package io.stackpilot.planner.spec;

import java.util.List;

/**
 * kube-prometheus-stack's typed section: where Prometheus remote-writes (seed 004: Mimir) and
 * whether it accepts remote writes itself (seeds 003/004: {@code enableRemoteWriteReceiver}).
 */
public record PrometheusSettings(List<StackSpec.Write> remoteWrite, Boolean remoteWriteReceiver) {

  public List<StackSpec.Write> remoteWriteOrEmpty() {
    return remoteWrite == null ? List.of() : remoteWrite;
  }
}
