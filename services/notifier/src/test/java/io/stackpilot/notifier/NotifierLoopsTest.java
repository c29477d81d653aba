package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A routing reload that throws does not stop the reloads after it (the scheduled task lives on).
 */
class NotifierLoopsTest {

  @Test
  void aReloadThatThrowsDoesNotEndLaterReloads() {
    AtomicInteger calls = new AtomicInteger();
    Runnable reload =
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("routing.receivers[0]: loader bug");
          }
        };
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.scheduleWithFixedDelay(
          () -> NotifierLoops.reloadKeepingRunning(reload), 0, 10, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
    } finally {
      timer.shutdownNow();
    }
    assertThat(NotifierLoops.reloadKeepingRunning(() -> {})).isTrue();
    assertThat(
            NotifierLoops.reloadKeepingRunning(
                () -> {
                  throw new IllegalStateException("x");
                }))
        .isFalse();
  }
}
