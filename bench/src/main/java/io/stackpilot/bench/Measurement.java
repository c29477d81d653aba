package io.stackpilot.bench;

import org.apache.kafka.clients.producer.Producer;

/**
 * Times one pass of one rung: wall clock from the first {@code send()} to the return of {@code
 * flush()}, and CPU deltas of the client threads over exactly that window.
 */
final class Measurement {
  private final ClientCpu cpu = new ClientCpu();

  /** An opened session whose producer is known; what {@link #time} needs. */
  record Prepared(Rung.Session session, Producer<?, ?> producer, String clientId) {}

  Prepared prepare(Rung.Session session) {
    Producer<?, ?> producer = session.producer();
    return new Prepared(session, producer, ProducerMetrics.clientId(producer));
  }

  RunResult time(Rung rung, Prepared prepared, String topic, int count)
      throws InterruptedException {
    ProducerMetrics before = ProducerMetrics.read(prepared.producer(), topic);
    settle();
    ClientCpu.Snapshot start = cpu.take(prepared.clientId());
    if (start.networkThreads().size() != 1) {
      throw new IllegalStateException(
          "expected one network thread for client "
              + prepared.clientId()
              + ", found "
              + start.networkThreads());
    }
    long t0 = System.nanoTime();
    prepared.session().sendAll(count);
    prepared.session().flush();
    long t1 = System.nanoTime();
    ClientCpu.Snapshot end = cpu.take(prepared.clientId());
    ProducerMetrics after = ProducerMetrics.read(prepared.producer(), topic);
    check(rung, topic, count, before, after);
    return new RunResult(
        rung.label(),
        count,
        t1 - t0,
        end.senderNanos() - start.senderNanos(),
        end.networkNanos() - start.networkNanos(),
        end.processNanos() - start.processNanos(),
        end.gcMillis() - start.gcMillis(),
        after.recordSizeAvg());
  }

  /** Leaves the previous pass's garbage and callbacks out of this pass. */
  static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
  }

  private static void check(
      Rung rung, String topic, int count, ProducerMetrics before, ProducerMetrics after) {
    double failed = after.failed() - before.failed();
    double sent = after.sent() - before.sent();
    if (failed > 0) {
      throw new IllegalStateException(
          rung.label() + ": " + (long) failed + " records failed on " + topic);
    }
    double retried = after.retried() - before.retried();
    if (Math.round(sent) != count || retried > 0) {
      // Retries stretch the timed window; say so beside the figures rather than hide it.
      System.out.printf(
          "warning: %s on %s: producer counted %d records sent and %d retried for %d records%n",
          rung.label(), topic, (long) sent, (long) retried, count);
    }
  }
}
