package io.stackpilot.stackctl;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the planner is: the {@code --server} of every command that calls its API. */
final class PlannerOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--server",
      defaultValue = "${env:STACKPILOT_SERVER:-http://localhost:8080}",
      description = "The planner's URL (default: $STACKPILOT_SERVER or ${DEFAULT-VALUE}).")
  URI server;

  private PlannerClient client;

  /** One call to the planner's API. */
  interface Call {
    PlannerClient.Answer on(PlannerClient client) throws IOException, InterruptedException;
  }

  /** Makes the call; null, with a line on stderr, when the planner cannot be reached. */
  PlannerClient.Answer call(Call call) throws InterruptedException {
    if (client == null) {
      client = new PlannerClient(server);
    }
    try {
      return call.on(client);
    } catch (IOException e) {
      mixee.commandLine().getErr().println("planner unreachable at " + server + ": " + e);
      mixee.commandLine().getErr().flush();
      return null;
    }
  }

  /** Who asks, for mutating calls: the bearer token and the actor recorded with the change. */
  static final class Credentials {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
        names = "--token-file",
        description = "File with the planner's API token (default: $STACKPILOT_API_TOKEN).")
    Path tokenFile;

    /** The caller of a mutating call: token, actor ({@code user:<login>}) and reason. */
    PlannerClient.Caller caller(String reason) {
      return new PlannerClient.Caller(token(), actor(), reason);
    }

    static String actor() {
      return "user:" + PlanCommand.user();
    }

    private String token() {
      if (tokenFile != null) {
        try {
          return Files.readString(tokenFile).trim();
        } catch (IOException e) {
          throw new ParameterException(
              mixee.commandLine(), "cannot read --token-file " + tokenFile + ": " + e);
        }
      }
      String env = System.getenv("STACKPILOT_API_TOKEN");
      return env == null || env.isBlank() ? null : env.trim();
    }
  }
}
