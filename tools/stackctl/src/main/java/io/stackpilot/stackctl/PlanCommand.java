package io.stackpilot.stackctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stackctl plan -f stack.yaml}: the plan and findings, nothing written (a dry run). */
@Command(
    name = "plan",
    description = "Show the plan, its diff and the findings for a stack (+ fleet); writes nothing.",
    exitCodeList = {
      ExitCode.Help.OK,
      ExitCode.Help.INVALID,
      ExitCode.Help.BLOCKED,
      ExitCode.Help.UNREACHABLE,
      ExitCode.Help.USAGE
    })
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Stack + fleet YAML (the fleet may come from --fleet instead).")
  Path file;

  @Option(
      names = "--fleet",
      description = "Plan for this registered fleet when the file has no Fleet document.")
  String fleet;

  @Option(names = "--override", description = "Plan as if this blocking rule were overridden.")
  List<String> overrides = List.of();

  @Mixin PlannerOptions planner;

  @Override
  public Integer call() throws InterruptedException {
    String yaml = read(spec, file);
    PlannerClient.Caller caller = new PlannerClient.Caller(null, "cli:" + user(), null);
    PlannerClient.Answer answer =
        planner.call(c -> c.declare(yaml, true, overrides, fleet, caller));
    if (answer == null) {
      return ExitCode.UNREACHABLE;
    }
    Answers.print(answer, spec.commandLine().getOut());
    return ExitCode.ofStatus(answer.status());
  }

  static String user() {
    return System.getProperty("user.name", "unknown");
  }

  /** The file a command was given; one it cannot read is a usage error, not the planner's. */
  static String read(CommandSpec spec, Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e);
    }
  }
}
