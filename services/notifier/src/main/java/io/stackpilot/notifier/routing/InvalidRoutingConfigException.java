package io.stackpilot.notifier.routing;

import java.util.List;

/** A routing configuration refused at load, with every violation prefixed by its field path. */
public class InvalidRoutingConfigException extends RuntimeException {

  private final List<String> violations;

  public InvalidRoutingConfigException(List<String> violations) {
    super(
        "invalid routing configuration ("
            + violations.size()
            + " violation"
            + (violations.size() == 1 ? "" : "s")
            + "):\n  "
            + String.join("\n  ", violations));
    this.violations = List.copyOf(violations);
  }

  /** Each violation as `path: message`. */
  public List<String> violations() {
    return violations;
  }
}
