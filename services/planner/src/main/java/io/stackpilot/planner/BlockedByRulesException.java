package io.stackpilot.planner;

import io.stackpilot.planner.rules.Finding;
import java.util.List;
import java.util.stream.Collectors;

/** ERROR findings nobody overrode: the declaration must not be planned. Retrying cannot help. */
public class BlockedByRulesException extends RuntimeException {
  private final List<Finding> blocking;
  private final List<Finding> all;

  public BlockedByRulesException(List<Finding> blocking, List<Finding> all) {
    super(
        blocking.size()
            + " blocking finding(s): "
            + blocking.stream()
                .map(f -> f.ruleId() + " at " + f.field())
                .collect(Collectors.joining(", ")));
    this.blocking = List.copyOf(blocking);
    this.all = List.copyOf(all);
  }

  public List<Finding> blocking() {
    return blocking;
  }

  public List<Finding> all() {
    return all;
  }
}
