package io.stackpilot.notifier.delivery;

import java.time.Duration;

/** Waits between attempts; tests pass one that moves their clock instead. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  static Sleeper real() {
    return d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
  }
}
