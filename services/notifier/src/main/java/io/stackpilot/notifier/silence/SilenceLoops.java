package io.stackpilot.notifier.silence;

import io.stackpilot.runtime.Supervised;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the silences' reader, the wave silencer and the receipt poller. Starts before delivery and
 * waits (up to {@code silences.start-timeout}) until the silences are rebuilt from their topic, so
 * a restarted notifier never sends what a silence mutes.
 */
public final class SilenceLoops implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(SilenceLoops.class);

  private final SilenceLog log;
  private final WaveSilencer silencer;
  private final Runnable poller;
  private final Duration pollInterval;
  private final Duration startTimeout;
  private final List<Thread> threads = new ArrayList<>();
  private ScheduledExecutorService scheduler;
  private volatile boolean running;

  /** The wave silencer may be null (wave silences off); the poller runs every pollInterval. */
  public SilenceLoops(
      SilenceLog log,
      WaveSilencer silencer,
      Runnable poller,
      Duration pollInterval,
      Duration startTimeout) {
    this.log = log;
    this.silencer = silencer;
    this.poller = poller;
    this.pollInterval = pollInterval;
    this.startTimeout = startTimeout;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 1; // before NotifierLoops: delivery consults the rebuilt silences
  }

  @Override
  public void start() {
    running = true;
    threads.add(supervised("notifier-silences", log));
    if (silencer != null) {
      threads.add(supervised("notifier-wave-silences", silencer));
    }
    threads.forEach(Thread::start);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "notifier-receipts");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            poller.run();
          } catch (RuntimeException e) {
            LOG.warn("receipt poll failed; next round in {}", pollInterval, e);
          }
        },
        pollInterval.toMillis(),
        pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (!log.caughtUp() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50); // start-up blocks here on purpose: delivery must not run before
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!log.caughtUp()) {
      LOG.warn("silences not rebuilt within {}: delivery starts without them", startTimeout);
    }
  }

  private Thread supervised(String name, Runnable loop) {
    return Supervised.thread(name, () -> running, loop);
  }

  @Override
  public void stop() {
    running = false;
    log.stop();
    if (silencer != null) {
      silencer.stop();
    }
    scheduler.shutdownNow();
    Supervised.join(threads);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
