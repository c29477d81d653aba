package io.stackpilot.bench;

import java.util.Map;

/**
 * One timed pass of VerifyBenchmark: items (components) verified over the wall time, each one's
 * latency in ms from being told (StepApplied sent, or the baseline's go) to its verdict, the
 * process's CPU seconds over the pass, and how many verdicts of each outcome came.
 */
record VerifyResult(
    String label,
    int items,
    long nanos,
    double[] latencies,
    double cpuSeconds,
    Map<String, Integer> outcomes) {

  double perSecond() {
    return items / (nanos / 1e9);
  }

  double p50() {
    return ApplyResult.percentile(latencies, 50);
  }

  double p99() {
    return ApplyResult.percentile(latencies, 99);
  }

  double max() {
    return ApplyResult.percentile(latencies, 100);
  }

  double cpuMsPerItem() {
    return cpuSeconds * 1000 / items;
  }
}
