package io.stackpilot.stackctl;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackctl plan -f stack.yaml}: the plan and findings, nothing written (a dry run). */
@Command(
    name = "plan",
    description = "Show the plan and findings for a stack + fleet; writes nothing.")
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Stack + fleet YAML.")
  Path file;

  @Option(names = "--server", defaultValue = "${env:STACKPILOT_SERVER:-http://localhost:8080}")
  URI server;

  @Option(names = "--override", description = "Plan as if this blocking rule were overridden.")
  List<String> overrides = List.of();

  @Override
  public Integer call() throws Exception {
    PlannerClient.Answer answer;
    try {
      answer =
          new PlannerClient(server)
              .declare(Files.readString(file), true, overrides, null, "cli:" + user(), null);
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("planner unreachable at " + server + ": " + e);
      return ExitCode.UNREACHABLE;
    }
    Answers.print(answer, spec.commandLine().getOut());
    return ExitCode.ofStatus(answer.status());
  }

  static String user() {
    return System.getProperty("user.name", "unknown");
  }
}
