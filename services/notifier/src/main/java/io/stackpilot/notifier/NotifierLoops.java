package io.stackpilot.notifier;

import io.stackpilot.notifier.delivery.AlertRouter;
import io.stackpilot.notifier.delivery.DeliveryStage;
import io.stackpilot.notifier.delivery.RoutingConfigSource;
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
 * Runs the two stages, each on its own thread (started again after a failure), and re-reads the
 * routing file on a timer.
 */
class NotifierLoops implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierLoops.class);

  private final Runnable createTopics;
  private final AlertRouter router;
  private final DeliveryStage stage;
  private final RoutingConfigSource configs;
  private final Duration pollInterval;
  private final List<Thread> threads = new ArrayList<>();
  private ScheduledExecutorService reloader;
  private volatile boolean running;

  NotifierLoops(
      Runnable createTopics,
      AlertRouter router,
      DeliveryStage stage,
      RoutingConfigSource configs,
      Duration pollInterval) {
    this.createTopics = createTopics;
    this.router = router;
    this.stage = stage;
    this.configs = configs;
    this.pollInterval = pollInterval;
  }

  @Override
  public void start() {
    createTopics.run();
    running = true;
    threads.add(supervised("notifier-router", router));
    threads.add(supervised("notifier-delivery", stage));
    threads.forEach(Thread::start);
    reloader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "notifier-routing-reload");
              t.setDaemon(true);
              return t;
            });
    reloader.scheduleWithFixedDelay(
        () -> reloadKeepingRunning(configs::reload),
        pollInterval.toMillis(),
        pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One reload, never thrown out of: a scheduled task that throws is never run again, so one bad
   * reload would stop every later one. The running configuration stays (the source only replaces it
   * after a successful load); the violations' field paths are logged by the source, anything else
   * here. Returns false when the reload failed.
   */
  static boolean reloadKeepingRunning(Runnable reload) {
    try {
      reload.run();
      return true;
    } catch (RuntimeException e) {
      LOG.error("routing reload failed; keeping the running configuration", e);
      return false;
    }
  }

  private Thread supervised(String name, Runnable loop) {
    return Supervised.thread(name, () -> running, loop);
  }

  @Override
  public void stop() {
    running = false;
    router.stop();
    stage.stop();
    reloader.shutdownNow();
    Supervised.join(threads);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
