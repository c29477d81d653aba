package io.stackpilot.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;

/**
 * Times one pass of the plan benchmark: wall clock around the whole pass (for a publishing pass, up
 * to the return of {@code flush()}), and CPU deltas of the calling thread plus, when a producer
 * does the I/O, its network thread, as {@link Measurement} does for the ladder.
 */
final class PlanTimer {
  private final ClientCpu cpu = new ClientCpu();

  /** The timed work; a publishing pass ends with its producer's flush. */
  interface Pass {
    void run() throws Exception;
  }

  /** A pass without a producer: only the calling thread's CPU counts. */
  RunResult time(String label, int steps, Pass pass) throws Exception {
    return time(label, steps, null, Map.of(), 0, pass);
  }

  /**
   * A pass through {@code producer}, which must then have sent exactly {@code expected} records to
   * each topic, none failed; {@code valueBytes} is what their values add up to (kept per step in
   * {@link RunResult#recordBytes()}).
   */
  RunResult time(
      String label,
      int steps,
      Producer<?, ?> producer,
      Map<String, Integer> expected,
      long valueBytes,
      Pass pass)
      throws Exception {
    String clientId = producer == null ? "" : ProducerMetrics.clientId(producer);
    Map<String, ProducerMetrics> before = metrics(producer, expected);
    Measurement.settle();
    ClientCpu.Snapshot start = cpu.take(clientId);
    if (producer != null && start.networkThreads().size() != 1) {
      throw new IllegalStateException(
          "expected one network thread for client "
              + clientId
              + ", found "
              + start.networkThreads());
    }
    long t0 = System.nanoTime();
    pass.run();
    long t1 = System.nanoTime();
    ClientCpu.Snapshot end = cpu.take(clientId);
    Map<String, ProducerMetrics> after = metrics(producer, expected);
    check(label, expected, before, after);
    return new RunResult(
        label,
        steps,
        t1 - t0,
        end.senderNanos() - start.senderNanos(),
        end.networkNanos() - start.networkNanos(),
        end.processNanos() - start.processNanos(),
        end.gcMillis() - start.gcMillis(),
        producer == null ? Double.NaN : (double) valueBytes / steps);
  }

  private static Map<String, ProducerMetrics> metrics(
      Producer<?, ?> producer, Map<String, Integer> topics) {
    Map<String, ProducerMetrics> out = new LinkedHashMap<>();
    if (producer != null) {
      topics.keySet().forEach(topic -> out.put(topic, ProducerMetrics.read(producer, topic)));
    }
    return out;
  }

  private static void check(
      String label,
      Map<String, Integer> expected,
      Map<String, ProducerMetrics> before,
      Map<String, ProducerMetrics> after) {
    expected.forEach(
        (topic, count) -> {
          double failed = after.get(topic).failed() - before.get(topic).failed();
          double sent = after.get(topic).sent() - before.get(topic).sent();
          double retried = after.get(topic).retried() - before.get(topic).retried();
          if (failed > 0) {
            throw new IllegalStateException(
                label + ": " + (long) failed + " records failed on " + topic);
          }
          if (Math.round(sent) != count || retried > 0) {
            System.out.printf(
                "warning: %s on %s: producer counted %d records sent and %d retried for %d"
                    + " records%n",
                label, topic, (long) sent, (long) retried, count);
          }
        });
  }
}
