package io.stackpilot.bench;

import java.util.Arrays;

/**
 * One timed pass of ApplyBenchmark: steps and objects over the wall time, and per-step latencies in
 * milliseconds ({@code handling}: applying one step; {@code endToEnd}: from its request to its
 * result, queueing included; NaN-filled where a measurement has no such figure).
 */
record ApplyResult(
    String label, int steps, long objects, long nanos, double[] handling, double[] endToEnd) {

  double stepsPerSecond() {
    return steps / (nanos / 1e9);
  }

  double objectsPerSecond() {
    return objects / (nanos / 1e9);
  }

  double handlingP50() {
    return percentile(handling, 50);
  }

  double handlingP99() {
    return percentile(handling, 99);
  }

  double endToEndP50() {
    return percentile(endToEnd, 50);
  }

  double endToEndP99() {
    return percentile(endToEnd, 99);
  }

  /** Nearest-rank percentile; NaN for no values. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
