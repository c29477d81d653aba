package io.stackpilot.runtime;

import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What is applied where, folded from one partition of the cluster-keyed step topics ({@code
 * stackpilot.steps}, {@code step-applied}, {@code step-failed}): the last step applied to each
 * stack's component on each cluster (its content is what runs there), and the steps still in
 * flight. A prune removes the component. Facts are folded in any order the topics are read in: a
 * result whose request is not known yet waits for it.
 *
 * <p>The applier's drift detector and the verifier's SLO watch each keep one per partition they are
 * assigned, rebuilt from the partition's beginning. Not thread-safe: the owning loop folds.
 */
public final class AppliedSteps {
  /** A stack's component on a cluster. */
  public record Key(String stack, String cluster, String component) {
    static final Comparator<Key> ORDER =
        Comparator.comparing(Key::cluster).thenComparing(Key::stack).thenComparing(Key::component);
  }

  /**
   * A component whose applied step changed.
   *
   * @param step the step now applied; null when the component was pruned
   */
  public record Change(Key key, StepRequested step) {}

  private final Map<String, StepRequested> requested = new HashMap<>();
  private final Map<String, StepApplied> appliedEarly = new HashMap<>();
  private final Map<String, StepFailed> failedEarly = new HashMap<>();
  private final Map<Key, StepRequested> applied = new TreeMap<>(Key.ORDER);

  /**
   * Folds one event of the step topics (others are ignored).
   *
   * @return the component whose applied step this changed, or null
   */
  public Change fold(Object event) {
    if (event instanceof StepRequested s) {
      requested.put(s.getStepId(), s);
      StepFailed failed = failedEarly.remove(s.getStepId());
      if (failed != null) {
        requested.remove(s.getStepId());
      }
      StepApplied early = appliedEarly.remove(s.getStepId());
      return early == null ? null : onApplied(early);
    }
    if (event instanceof StepApplied a) {
      return onApplied(a);
    }
    if (event instanceof StepFailed f && requested.remove(f.getStepId()) == null) {
      failedEarly.put(f.getStepId(), f);
    }
    return null;
  }

  private Change onApplied(StepApplied result) {
    StepRequested step = requested.remove(result.getStepId());
    if (step == null) {
      appliedEarly.put(result.getStepId(), result);
      return null;
    }
    Key key = keyOf(step);
    if (result.getAction() == StepAction.PRUNE) {
      applied.remove(key);
      return new Change(key, null);
    }
    applied.put(key, step);
    return new Change(key, step);
  }

  /** The last step applied to each component, ordered by cluster, stack and component. */
  public Map<Key, StepRequested> applied() {
    return Collections.unmodifiableMap(applied);
  }

  /** The components with a step requested and not applied or failed yet. */
  public Set<Key> inFlight() {
    Set<Key> out = new HashSet<>();
    requested.values().forEach(s -> out.add(keyOf(s)));
    return out;
  }

  public static Key keyOf(StepRequested step) {
    return new Key(
        Objects.requireNonNullElse(step.getStackName(), ""),
        step.getEnvelope().getCluster(),
        step.getComponent());
  }
}
