package io.stackpilot.bench;

/** What one timed pass of one rung measured. */
record RunResult(
    String rung,
    int records,
    long wallNanos,
    long senderCpuNanos,
    long networkCpuNanos,
    long processCpuNanos,
    long gcMillis,
    double recordBytes) {

  double recordsPerSecond() {
    return records * 1e9 / wallNanos;
  }

  /** Sending thread plus the producer's network thread, per record. */
  double cpuMicrosPerRecord() {
    return (senderCpuNanos + networkCpuNanos) / 1e3 / records;
  }

  double senderMicrosPerRecord() {
    return senderCpuNanos / 1e3 / records;
  }

  double networkMicrosPerRecord() {
    return networkCpuNanos / 1e3 / records;
  }

  /** Every thread of the JVM, the in-process broker and registry included. */
  double processMicrosPerRecord() {
    return processCpuNanos / 1e3 / records;
  }
}
