package io.stackpilot.stackctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code stackctl}: plan and apply stacks through the planner's API, follow and steer rollouts, see
 * what the fleet runs. Exit codes are for scripts: see {@link ExitCode}; every command's help lists
 * those it can return.
 */
@Command(
    name = "stackctl",
    mixinStandardHelpOptions = true,
    // inherited by every subcommand: --help, and usage errors that no other meaning shares
    scope = ScopeType.INHERIT,
    exitCodeOnInvalidInput = ExitCode.USAGE,
    exitCodeOnExecutionException = ExitCode.SOFTWARE,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCode.Help.OK_OR_COMPLETED,
      ExitCode.Help.INVALID,
      ExitCode.Help.BLOCKED,
      ExitCode.Help.UNAUTHORIZED,
      ExitCode.Help.FAILED,
      ExitCode.Help.TIMEOUT,
      ExitCode.Help.CONFLICT,
      ExitCode.Help.IN_PROGRESS,
      ExitCode.Help.NOT_FOUND,
      ExitCode.Help.UNREACHABLE,
      ExitCode.Help.USAGE,
      ExitCode.Help.SOFTWARE
    },
    subcommands = {
      PlanCommand.class,
      ApplyCommand.class,
      RolloutCommand.class,
      FleetCommand.class,
      AuditCommand.class
    })
public final class Stackctl {

  public static void main(String[] args) {
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.stackpilot.events");
    }
    System.exit(new CommandLine(new Stackctl()).execute(args));
  }
}
