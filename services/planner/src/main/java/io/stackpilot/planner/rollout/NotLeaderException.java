package io.stackpilot.planner.rollout;

/** A write asked of a planner replica that does not drive rollouts; another replica does. */
public class NotLeaderException extends RuntimeException {
  public NotLeaderException() {
    super("this planner replica does not lead; send writes to the leading replica");
  }
}
