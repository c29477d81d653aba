package io.stackpilot.stackctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code stackctl}: plan and apply stacks through the planner's API and watch rollouts on the
 * topics. Exit codes are for scripts: see {@link ExitCode}.
 */
@Command(
    name = "stackctl",
    mixinStandardHelpOptions = true,
    subcommands = {PlanCommand.class, ApplyCommand.class, RolloutCommand.class},
    footer = {
      "",
      "Exit codes: 0 ok, 1 invalid spec (400), 2 blocked by pitfall rules (422), 3 unauthorized"
          + " (401), 4 rollout failed or unhealthy, 5 timed out, 10 planner unreachable or failing."
    })
public final class Stackctl {

  public static void main(String[] args) {
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.stackpilot.events");
    }
    System.exit(new CommandLine(new Stackctl()).execute(args));
  }
}
