package io.stackpilot.stackctl;

import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackctl rollout ...}: rollouts as the topics record them. */
@Command(name = "rollout", description = "Rollouts.", subcommands = RolloutCommand.Watch.class)
final class RolloutCommand {

  /** {@code stackctl rollout watch ID}: print every event of a rollout until it settles. */
  @Command(name = "watch", description = "Follow a rollout on the topics until every step settles.")
  static final class Watch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The rollout id (correlation id).")
    String rolloutId;

    @Mixin ApplyCommand.Topics topics;

    @Override
    public Integer call() throws InterruptedException {
      return follow(rolloutId, topics, spec.commandLine().getOut());
    }

    /** Follows until settled: 0 if all applied and healthy, 4 if not, 5 on timeout. */
    static int follow(String rolloutId, ApplyCommand.Topics topics, PrintWriter out)
        throws InterruptedException {
      PrintStream lines =
          new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
      EventFeed feed = new EventFeed(topics.bootstrap, topics.registry, lines);
      feed.watch(rolloutId);
      Thread thread = new Thread(feed, "stackctl-watch");
      thread.setDaemon(true);
      thread.start();
      Instant deadline = Instant.now().plus(topics.timeout);
      try {
        while (!feed.settled() && Instant.now().isBefore(deadline)) {
          Thread.sleep(200);
        }
      } finally {
        feed.stop();
        thread.join(5_000);
      }
      boolean settled = feed.settled();
      boolean failed = feed.count(StepFailed.class) > 0 || !feed.unhealthy().isEmpty();
      out.printf(
          "%s: %d/%d steps applied, %d failed, unhealthy %s, %d notifications sent%n",
          !settled ? "TIMED OUT" : failed ? "FAILED" : "DONE",
          feed.count(StepApplied.class),
          Math.max(feed.plannedSteps(), 0),
          feed.count(StepFailed.class),
          feed.unhealthy(),
          feed.count(NotificationSent.class));
      out.flush();
      return !settled ? ExitCode.TIMEOUT : failed ? ExitCode.FAILED : ExitCode.OK;
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
