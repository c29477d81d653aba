package io.stackpilot.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that runs a loop again whenever it throws, after a pause, for as long as its owner runs:
 * a broker outage or a bug in one round must not end what the service does, nor spin.
 */
public final class Supervised {
  private static final Logger LOG = LoggerFactory.getLogger(Supervised.class);
  static final Duration PAUSE = Duration.ofSeconds(2);

  private Supervised() {}

  /** An unstarted thread named {@code name} running {@code loop} while {@code running} holds. */
  public static Thread thread(String name, BooleanSupplier running, Runnable loop) {
    return new Thread(
        () -> {
          while (running.getAsBoolean()) {
            try {
              loop.run();
            } catch (RuntimeException e) {
              LOG.error("{} failed; starting it again in {}s", name, PAUSE.toSeconds(), e);
              try {
                Thread.sleep(PAUSE.toMillis()); // a pause before the next round, not a wait
              } catch (InterruptedException interrupted) {
                return;
              }
            }
          }
        },
        name);
  }

  /**
   * Waits for each thread to end, up to 10 s each (a loop that was asked to stop), and forgets
   * them.
   */
  public static void join(java.util.List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }
}
