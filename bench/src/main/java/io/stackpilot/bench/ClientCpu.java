package io.stackpilot.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the client side of one producer: the thread calling {@code send()} plus the
 * producer's I/O thread, which Kafka names {@code kafka-producer-network-thread | <client.id>}.
 * Whole-process CPU and GC time are taken alongside, for context only.
 */
final class ClientCpu {
  static final String NETWORK_THREAD_PREFIX = "kafka-producer-network-thread";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  ClientCpu() {
    if (!threads.isCurrentThreadCpuTimeSupported() || !threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
  }

  /** CPU counters now; call on the sending thread. */
  Snapshot take(String clientId) {
    String networkThread = NETWORK_THREAD_PREFIX + " | " + clientId;
    long network = 0;
    List<String> names = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals(networkThread)) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          network += cpu;
          names.add(info.getThreadName());
        }
      }
    }
    return new Snapshot(
        threads.getCurrentThreadCpuTime(),
        network,
        List.copyOf(names),
        os.getProcessCpuTime(),
        gcMillis());
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** CPU counters in nanoseconds (GC in milliseconds) at one instant. */
  record Snapshot(
      long senderNanos,
      long networkNanos,
      List<String> networkThreads,
      long processNanos,
      long gcMillis) {}
}
