package io.stackpilot.stackctl;

import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackctl rollout ...}: rollouts, from the planner's API and as the topics record them. */
@Command(
    name = "rollout",
    description = "Rollouts: status, list, pause, resume, abort, watch.",
    subcommands = {
      RolloutStatusCommand.class,
      RolloutListCommand.class,
      RolloutControlCommand.Pause.class,
      RolloutControlCommand.Resume.class,
      RolloutControlCommand.Abort.class,
      RolloutCommand.Watch.class
    })
final class RolloutCommand {

  /**
   * The notifier answers verdicts, not the rollout's end, so the last notifications may land just
   * after the terminal transition: a watcher gives them this long before it prints its summary.
   */
  static final Duration NOTIFICATION_GRACE = Duration.ofSeconds(2);

  /** {@code stackctl rollout watch ID}: print every event of a rollout until it ends. */
  @Command(
      name = "watch",
      description = {
        "Follow a rollout on the topics, one line per event and per transition,",
        "until its status (stackpilot.rollout-status) reaches a terminal phase."
      },
      exitCodeList = {
        ExitCode.Help.COMPLETED,
        ExitCode.Help.FAILED,
        ExitCode.Help.TIMEOUT,
        ExitCode.Help.USAGE
      })
  static final class Watch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The rollout id (correlation id).")
    String rolloutId;

    @Mixin ApplyCommand.Topics topics;

    @Override
    public Integer call() throws InterruptedException {
      return follow(rolloutId, topics, spec.commandLine().getOut());
    }

    /** Follows the rollout on the topics until it ends; see {@link #settle}. */
    static int follow(String rolloutId, ApplyCommand.Topics topics, PrintWriter out)
        throws InterruptedException {
      PrintStream lines =
          new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
      EventFeed feed = new EventFeed(topics.bootstrap, topics.registry, lines);
      feed.watch(rolloutId);
      Thread thread = new Thread(feed, "stackctl-watch");
      thread.setDaemon(true);
      thread.start();
      try {
        return settle(feed.tracker(), rolloutId, topics.timeout, out);
      } finally {
        feed.stop();
        thread.join(5_000);
      }
    }

    /**
     * Waits for the rollout's terminal transition and prints a summary line: 0 when it COMPLETED, 4
     * when it ended otherwise (HALTED, ROLLED_BACK, ABORTED, REJECTED), 5 when it did not end in
     * time.
     */
    static int settle(RolloutTracker tracker, String rolloutId, Duration timeout, PrintWriter out)
        throws InterruptedException {
      long start = System.nanoTime();
      boolean ended = tracker.await(() -> tracker.ending(rolloutId).isPresent(), timeout);
      if (ended) {
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        Duration grace = left.compareTo(NOTIFICATION_GRACE) < 0 ? left : NOTIFICATION_GRACE;
        if (!grace.isNegative()) {
          tracker.await(tracker::notified, grace);
        }
      }
      Optional<RolloutStatusChanged> last =
          ended ? tracker.ending(rolloutId) : tracker.status(rolloutId);
      String phase = last.map(s -> s.getPhase().name()).orElse(null);
      int applied = tracker.count(StepApplied.class);
      int total = Math.max(tracker.plannedSteps(), 0);
      int failed = tracker.count(StepFailed.class);
      if (last.isPresent()) {
        RolloutProgress p = last.get().getProgress();
        applied = p.getStepsApplied();
        total = p.getStepsTotal();
        failed = p.getStepsFailed();
      }
      out.printf(
          "%s: %d/%d steps applied, %d failed, unhealthy %s, %d notifications sent (%s)%n",
          !ended ? "TIMED OUT" : "COMPLETED".equals(phase) ? "DONE" : phase,
          applied,
          total,
          failed,
          tracker.unhealthy(),
          tracker.count(NotificationSent.class),
          ended
              ? phase + ": " + last.get().getReason()
              : last.map(s -> "still " + s.getPhase() + " after " + timeout)
                  .orElse("no status of the rollout read within " + timeout));
      out.flush();
      return ended ? ExitCode.ofPhase(phase) : ExitCode.TIMEOUT;
    }
  }

  /** Lets the feed print through picocli's writer, so tests can capture the output. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter writer;

    WriterOutputStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      writer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writer.write(new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      writer.flush();
    }
  }
}
