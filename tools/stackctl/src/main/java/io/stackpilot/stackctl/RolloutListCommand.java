package io.stackpilot.stackctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackctl rollout ls [--stack S]}: the rollouts the planner knows, newest first. */
@Command(
    name = "ls",
    description = "The rollouts the planner knows, newest first.",
    exitCodeList = {ExitCode.Help.OK, ExitCode.Help.UNREACHABLE, ExitCode.Help.USAGE})
final class RolloutListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--stack", description = "Only the rollouts of this stack.")
  String stack;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "table|json",
      description = "table, or json: the planner's answer as it came.")
  Output output;

  @Mixin PlannerOptions planner;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PlannerClient.Answer answer = planner.call(c -> c.rollouts(stack));
    if (answer == null) {
      return ExitCode.UNREACHABLE;
    }
    if (!answer.ok()) {
      Answers.problem(answer, spec.commandLine().getErr());
      return ExitCode.ofStatus(answer.status());
    }
    if (output == Output.json) {
      out.println(answer.raw());
    } else {
      RolloutViews.list(answer.body(), out);
    }
    return ExitCode.OK;
  }
}
