package io.stackpilot.stackctl;

import java.io.PrintWriter;
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
@Command(
    name = "apply",
    description = {
      "Declare a stack (+ fleet); starts a rollout when it changes something.",
      "Prints the plan and its diff per cluster and component, or 'no changes'."
    },
    exitCodeList = {
      ExitCode.Help.OK + " (--watch: the rollout COMPLETED)",
      ExitCode.Help.INVALID,
      ExitCode.Help.BLOCKED,
      ExitCode.Help.UNAUTHORIZED,
      ExitCode.Help.FAILED + " (--watch)",
      ExitCode.Help.TIMEOUT + " (--watch)",
      ExitCode.Help.CONFLICT,
      ExitCode.Help.UNREACHABLE,
      ExitCode.Help.USAGE
    })
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Stack + fleet YAML (the fleet may come from --fleet instead).")
  Path file;

  @Option(
      names = "--fleet",
      description = "Roll out to this registered fleet when the file has no Fleet document.")
  String fleet;

  @Option(names = "--reason", description = "Why: recorded in the event.")
  String reason;

  @Option(names = "--override", description = "Let this blocking rule through (recorded).")
  List<String> overrides = List.of();

  @Option(names = "--watch", description = "Follow the rollout on the topics until it ends.")
  boolean watch;

  @Mixin PlannerOptions planner;

  @Mixin PlannerOptions.Credentials credentials;

  @Mixin Topics topics;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String yaml = PlanCommand.read(spec, file);
    PlannerClient.Caller caller = credentials.caller(reason);
    PlannerClient.Answer answer =
        planner.call(c -> c.declare(yaml, false, overrides, fleet, caller));
    if (answer == null) {
      return ExitCode.UNREACHABLE;
    }
    Answers.print(answer, out);
    int code = ExitCode.ofStatus(answer.status());
    if (code != ExitCode.OK || answer.body().path("unchanged").asBoolean(false)) {
      return code;
    }
    String rolloutId = answer.body().path("rolloutId").asText();
    out.println("rollout " + rolloutId);
    out.flush();
    return watch ? RolloutCommand.Watch.follow(rolloutId, topics, out) : ExitCode.OK;
  }

  /** Where the topics are, for watching. */
  static final class Topics {
    @Option(
        names = "--bootstrap",
        defaultValue = "${env:STACKPILOT_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(
        names = "--registry",
        defaultValue = "${env:STACKPILOT_REGISTRY_URL:-http://127.0.0.1:8081}",
        description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String registry;

    @Option(
        names = "--timeout",
        defaultValue = "10m",
        converter = Durations.class,
        description = "Give up watching after this (90s, 10m, PT1H; default ${DEFAULT-VALUE}).")
    Duration timeout;
  }
}
