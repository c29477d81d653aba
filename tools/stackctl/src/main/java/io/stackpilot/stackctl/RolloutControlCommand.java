package io.stackpilot.stackctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stackctl rollout pause|resume|abort ID --reason TEXT}: an operator's command to a rollout,
 * recorded with the actor and the reason. The planner refuses (409) what the rollout's phase does
 * not allow, such as resuming a rollout that is not paused.
 */
abstract class RolloutControlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The rollout id.")
  String rolloutId;

  @Option(names = "--reason", required = true, description = "Why: recorded in the event.")
  String reason;

  @Mixin PlannerOptions planner;

  @Mixin PlannerOptions.Credentials credentials;

  /** The planner's verb: the last segment of {@code POST /rollouts/{id}/<verb>}. */
  abstract String verb();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PlannerClient.Caller caller = credentials.caller(reason);
    PlannerClient.Answer answer = planner.call(c -> c.command(rolloutId, verb(), caller));
    if (answer == null) {
      return ExitCode.UNREACHABLE;
    }
    if (!answer.ok()) {
      if (answer.status() == 404) {
        out.printf("rollout %s not found%n", rolloutId);
      } else {
        Answers.problem(answer, out);
      }
      return ExitCode.ofStatus(answer.status());
    }
    out.println(RolloutViews.summary(answer.body()));
    out.printf(
        "  %s: %s%n", Table.text(answer.body(), "actor"), Table.text(answer.body(), "reason"));
    return ExitCode.OK;
  }

  @Command(
      name = "pause",
      description = "Pause a rollout until it is resumed.",
      exitCodeList = {
        ExitCode.Help.OK,
        ExitCode.Help.UNAUTHORIZED,
        ExitCode.Help.CONFLICT,
        ExitCode.Help.NOT_FOUND,
        ExitCode.Help.UNREACHABLE,
        ExitCode.Help.USAGE
      })
  static final class Pause extends RolloutControlCommand {
    @Override
    String verb() {
      return "pause";
    }
  }

  @Command(
      name = "resume",
      description = "Resume a paused rollout.",
      exitCodeList = {
        ExitCode.Help.OK,
        ExitCode.Help.UNAUTHORIZED,
        ExitCode.Help.CONFLICT,
        ExitCode.Help.NOT_FOUND,
        ExitCode.Help.UNREACHABLE,
        ExitCode.Help.USAGE
      })
  static final class Resume extends RolloutControlCommand {
    @Override
    String verb() {
      return "resume";
    }
  }

  @Command(
      name = "abort",
      description = "Abort a rollout: it ends ABORTED.",
      exitCodeList = {
        ExitCode.Help.OK,
        ExitCode.Help.UNAUTHORIZED,
        ExitCode.Help.CONFLICT,
        ExitCode.Help.NOT_FOUND,
        ExitCode.Help.UNREACHABLE,
        ExitCode.Help.USAGE
      })
  static final class Abort extends RolloutControlCommand {
    @Override
    String verb() {
      return "abort";
    }
  }
}
