package io.stackpilot.stackctl;

/** What a script can tell from stackctl's exit status. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int INVALID = 1;
  public static final int BLOCKED = 2;
  public static final int UNAUTHORIZED = 3;
  public static final int FAILED = 4;
  public static final int TIMEOUT = 5;
  public static final int UNREACHABLE = 10;

  private ExitCode() {}

  /** The exit code for an HTTP status from the planner. */
  public static int ofStatus(int status) {
    return switch (status) {
      case 200, 201, 202 -> OK;
      case 400, 415 -> INVALID;
      case 422 -> BLOCKED;
      case 401, 403 -> UNAUTHORIZED;
      default -> UNREACHABLE;
    };
  }
}
