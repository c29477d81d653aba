package io.stackpilot.stackctl;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackctl apply -f stack.yaml [--watch]}: start a rollout, optionally follow it. */
@Command(name = "apply", description = "Declare a stack + fleet; starts a rollout.")
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Stack + fleet YAML.")
  Path file;

  @Option(names = "--server", defaultValue = "${env:STACKPILOT_SERVER:-http://localhost:8080}")
  URI server;

  @Option(
      names = "--token-file",
      description = "File with the planner's API token (default: $STACKPILOT_API_TOKEN).")
  Path tokenFile;

  @Option(names = "--reason", description = "Why: recorded in the event.")
  String reason;

  @Option(names = "--override", description = "Let this blocking rule through (recorded).")
  List<String> overrides = List.of();

  @Option(names = "--watch", description = "Follow the rollout until every step is settled.")
  boolean watch;

  @Mixin Topics topics;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String token = token();
    PlannerClient.Answer answer;
    try {
      answer =
          new PlannerClient(server)
              .declare(
                  Files.readString(file),
                  false,
                  overrides,
                  token,
                  "user:" + PlanCommand.user(),
                  reason);
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("planner unreachable at " + server + ": " + e);
      return ExitCode.UNREACHABLE;
    }
    Answers.print(answer, out);
    int code = ExitCode.ofStatus(answer.status());
    if (code != ExitCode.OK) {
      return code;
    }
    String rolloutId = answer.body().path("rolloutId").asText();
    out.println("rollout " + rolloutId);
    out.flush();
    return watch ? RolloutCommand.Watch.follow(rolloutId, topics, out) : ExitCode.OK;
  }

  private String token() throws java.io.IOException {
    if (tokenFile != null) {
      return Files.readString(tokenFile).trim();
    }
    String env = System.getenv("STACKPILOT_API_TOKEN");
    return env == null || env.isBlank() ? null : env.trim();
  }

  /** Where the topics are, for watching. */
  static final class Topics {
    @Option(
        names = "--bootstrap",
        defaultValue = "${env:STACKPILOT_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}")
    String bootstrap;

    @Option(
        names = "--registry",
        defaultValue = "${env:STACKPILOT_REGISTRY_URL:-http://127.0.0.1:8081}")
    String registry;

    @Option(
        names = "--timeout",
        defaultValue = "PT10M",
        description = "Give up watching after this (ISO-8601).")
    Duration timeout;
  }
}
