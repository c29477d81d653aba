package io.stackpilot.stackctl;

import java.util.Set;

/**
 * What a script can tell from stackctl's exit status. The {@code Help} strings are what every
 * command's help prints; README.md's "stackctl exit codes" table says the same.
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int INVALID = 1;
  public static final int BLOCKED = 2;
  public static final int UNAUTHORIZED = 3;
  public static final int FAILED = 4;
  public static final int TIMEOUT = 5;
  public static final int CONFLICT = 6;
  public static final int IN_PROGRESS = 7;
  public static final int NOT_FOUND = 8;
  public static final int UNREACHABLE = 10;

  /**
   * Bad options or arguments (sysexits EX_USAGE). Picocli's default, 2, would read as "blocked by
   * pitfall rules".
   */
  public static final int USAGE = 64;

  /** A bug in stackctl (sysexits EX_SOFTWARE). Picocli's default, 1, would read as "invalid". */
  public static final int SOFTWARE = 70;

  /** The phases a rollout ends in; every other phase can still change. */
  public static final Set<String> TERMINAL_PHASES =
      Set.of("COMPLETED", "HALTED", "ROLLED_BACK", "ABORTED", "REJECTED");

  private ExitCode() {}

  /** The exit code for an HTTP status from the planner. */
  public static int ofStatus(int status) {
    return switch (status) {
      case 200, 201, 202 -> OK;
      case 400, 415 -> INVALID;
      case 422 -> BLOCKED;
      case 401, 403 -> UNAUTHORIZED;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      default -> UNREACHABLE;
    };
  }

  /**
   * The exit code for a rollout's phase: 0 COMPLETED, 4 for the other terminal phases, 7 while it
   * can still change (including a phase this stackctl does not know yet).
   */
  public static int ofPhase(String phase) {
    if ("COMPLETED".equals(phase)) {
      return OK;
    }
    return isTerminal(phase) ? FAILED : IN_PROGRESS;
  }

  public static boolean isTerminal(String phase) {
    return phase != null && TERMINAL_PHASES.contains(phase);
  }

  /** One line per exit code for picocli's {@code exitCodeList} ("code:description"). */
  static final class Help {
    static final String OK = "0:ok";
    static final String COMPLETED = "0:the rollout COMPLETED";
    static final String OK_OR_COMPLETED = "0:ok; rollout status, watch, apply --watch: COMPLETED";
    static final String INVALID = "1:invalid stack or fleet (HTTP 400, 415)";
    static final String BLOCKED = "2:blocked by pitfall rules (HTTP 422)";
    static final String UNAUTHORIZED = "3:unauthorized: missing or wrong token (HTTP 401, 403)";
    static final String FAILED = "4:rollout ended HALTED, ROLLED_BACK, ABORTED or REJECTED";
    static final String TIMEOUT = "5:timed out waiting for the rollout to end";
    static final String CONFLICT =
        "6:conflict (HTTP 409): the rollout's phase does not allow it, or a rollout of the"
            + " stack is still active";
    static final String IN_PROGRESS = "7:rollout still in progress (a non-terminal phase)";
    static final String NOT_FOUND = "8:not found (HTTP 404)";
    static final String UNREACHABLE = "10:planner unreachable or failing (HTTP 5xx)";
    static final String USAGE = "64:usage error: bad options or arguments";
    static final String SOFTWARE = "70:internal error in stackctl";

    private Help() {}
  }
}
