package io.stackpilot.stackctl;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stackctl rollout status ID [--wait]}: a rollout as the planner knows it. */
@Command(
    name = "status",
    description = {
      "A rollout's phase, progress, waves and failed steps, from the planner.",
      "With --wait, asks again every --interval until the rollout ends."
    },
    exitCodeList = {
      ExitCode.Help.COMPLETED,
      ExitCode.Help.FAILED,
      ExitCode.Help.TIMEOUT,
      ExitCode.Help.IN_PROGRESS,
      ExitCode.Help.NOT_FOUND,
      ExitCode.Help.UNREACHABLE,
      ExitCode.Help.USAGE
    })
final class RolloutStatusCommand implements Callable<Integer> {
  /**
   * The planner may answer 404 for a moment after accepting a rollout (it records it on the topics
   * first); --wait asks again for this long before believing it.
   */
  static final Duration NOT_FOUND_GRACE = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The rollout id.")
  String rolloutId;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "table|json",
      description = "table, or json: the planner's answer as it came.")
  Output output;

  @Option(names = "--wait", description = "Wait until the rollout ends (a terminal phase).")
  boolean wait;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      converter = Durations.class,
      description = "Give up waiting after this (90s, 10m, PT1H; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      converter = Durations.class,
      description = "How often --wait asks (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Mixin PlannerOptions planner;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    PlannerClient.Answer known = null; // the planner's latest status of the rollout
    while (true) {
      PlannerClient.Answer answer = planner.call(c -> c.rollout(rolloutId));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      boolean outOfTime = waited.compareTo(timeout) >= 0;
      if (answer != null && answer.ok()) {
        String phase = answer.body().path("phase").asText();
        if (!wait || ExitCode.isTerminal(phase)) {
          print(answer, out);
          return ExitCode.ofPhase(phase);
        }
        showProgress(known, answer, out);
        known = answer;
        if (outOfTime) {
          return timedOut(known, out, err);
        }
      } else if (!wait || !retriable(answer, waited) || outOfTime) {
        return known != null && outOfTime ? timedOut(known, out, err) : refused(answer, err);
      }
      Thread.sleep(Math.max(1, Math.min(interval.toMillis(), timeout.minus(waited).toMillis())));
    }
  }

  /** While waiting, a table shows one summary line each time the rollout moves on. */
  private void showProgress(
      PlannerClient.Answer before, PlannerClient.Answer now, PrintWriter out) {
    String summary = RolloutViews.summary(now.body());
    if (output == Output.table
        && (before == null || !summary.equals(RolloutViews.summary(before.body())))) {
      out.println(summary);
      out.flush();
    }
  }

  /**
   * Whether --wait should ask again after this answer: the planner unreachable or failing (it may
   * be restarting), or not knowing a rollout it may not have recorded yet.
   */
  private static boolean retriable(PlannerClient.Answer answer, Duration waited) {
    if (answer == null || answer.status() >= 500) {
      return true;
    }
    return answer.status() == 404 && waited.compareTo(NOT_FOUND_GRACE) < 0;
  }

  /** The planner could not say: unreachable (already reported), unknown rollout, or a problem. */
  private int refused(PlannerClient.Answer answer, PrintWriter err) {
    if (answer == null) {
      return ExitCode.UNREACHABLE;
    }
    if (answer.status() == 404) {
      err.printf("rollout %s not found%n", rolloutId);
    } else {
      Answers.problem(answer, err);
    }
    err.flush();
    return ExitCode.ofStatus(answer.status());
  }

  private int timedOut(PlannerClient.Answer known, PrintWriter out, PrintWriter err) {
    print(known, out);
    err.printf(
        "timed out after %s: rollout %s still %s%n",
        timeout, rolloutId, known.body().path("phase").asText());
    err.flush();
    return ExitCode.TIMEOUT;
  }

  private void print(PlannerClient.Answer answer, PrintWriter out) {
    if (output == Output.json) {
      out.println(answer.raw());
      out.flush();
    } else {
      RolloutViews.status(answer.body(), out);
    }
  }
}
