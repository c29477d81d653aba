package io.stackpilot.planner.rollout;

import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.PlanDiff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What runs where, derived from the log: per stack, cluster and component, the content of the last
 * step applied (and not pruned since) and its latest health. It is the "current state" a new spec
 * is diffed against, and it keeps the last few applied revisions of each component so a wave can be
 * rolled back to what ran before it.
 *
 * <p>Facts are folded in any order a replay may read them: a result whose request is not known yet
 * waits for it. Not thread-safe: the orchestrator's loop owns it.
 */
public final class Deployments {
  /** Revisions kept per component for rollbacks. */
  static final int HISTORY = 5;

  /** A stack's component on a cluster. */
  public record Key(String stack, String cluster, String component) {}

  /** What a cluster runs of a component, with its health as last verified. */
  public record Deployed(
      String digest,
      String chartVersion,
      String namespace,
      String tenant,
      String rolloutId,
      String stepId,
      Instant appliedAt,
      HealthStatus health,
      String healthReason) {}

  private final Function<String, String> stackOfRollout;
  private final Map<String, StepRequested> requested = new HashMap<>();
  private final Map<String, StepApplied> appliedEarly = new HashMap<>();
  private final Map<String, ComponentVerified> verifiedEarly = new HashMap<>();
  private final Map<String, Key> keyOfStep = new HashMap<>();
  private final Map<Key, Deployed> current = new TreeMap<>(Deployments::compare);
  private final Map<Key, LinkedHashMap<String, StepRequested>> history = new HashMap<>();

  /**
   * @param stackOfRollout the stack of a rollout, for steps written before steps named their stack
   */
  public Deployments(Function<String, String> stackOfRollout) {
    this.stackOfRollout = stackOfRollout;
  }

  public void onRequested(StepRequested step) {
    if (requested.containsKey(step.getStepId()) || keyOfStep.containsKey(step.getStepId())) {
      return;
    }
    requested.put(step.getStepId(), step);
    StepApplied early = appliedEarly.remove(step.getStepId());
    if (early != null) {
      onApplied(early);
    }
  }

  public void onApplied(StepApplied applied) {
    StepRequested step = requested.remove(applied.getStepId());
    if (step == null) {
      if (!keyOfStep.containsKey(applied.getStepId())) {
        appliedEarly.put(applied.getStepId(), applied);
      }
      return;
    }
    String stack =
        step.getStackName() != null
            ? step.getStackName()
            : stackOfRollout.apply(step.getEnvelope().getCorrelationId());
    Key key = new Key(stack, step.getEnvelope().getCluster(), step.getComponent());
    keyOfStep.put(step.getStepId(), key);
    if (applied.getAction() == StepAction.PRUNE) {
      current.remove(key);
    } else {
      LinkedHashMap<String, StepRequested> revisions =
          history.computeIfAbsent(key, k -> new LinkedHashMap<>());
      revisions.remove(step.getDigest());
      revisions.put(step.getDigest(), step);
      while (revisions.size() > HISTORY) {
        revisions.remove(revisions.keySet().iterator().next());
      }
      current.put(
          key,
          new Deployed(
              step.getDigest(),
              step.getChart() == null ? null : step.getChart().getVersion(),
              step.getNamespace(),
              step.getEnvelope().getTenant(),
              step.getEnvelope().getCorrelationId(),
              step.getStepId(),
              applied.getEnvelope().getOccurredAt(),
              null,
              null));
    }
    ComponentVerified early = verifiedEarly.remove(applied.getStepId());
    if (early != null) {
      onVerified(early);
    }
  }

  /** A step that failed will not be applied: its content is not kept waiting. */
  public void onFailed(String stepId) {
    requested.remove(stepId);
  }

  public void onVerified(ComponentVerified verdict) {
    if (verdict.getStepId() == null) {
      return;
    }
    Key key = keyOfStep.get(verdict.getStepId());
    if (key == null) {
      verifiedEarly.put(verdict.getStepId(), verdict);
      return;
    }
    Deployed now = current.get(key);
    if (now != null && now.stepId().equals(verdict.getStepId())) {
      current.put(
          key,
          new Deployed(
              now.digest(),
              now.chartVersion(),
              now.namespace(),
              now.tenant(),
              now.rolloutId(),
              now.stepId(),
              now.appliedAt(),
              verdict.getHealth(),
              verdict.getReason()));
    }
  }

  /** Per cluster, per component: what a stack runs now (the baseline a new spec is diffed on). */
  public Map<String, Map<String, PlanDiff.Deployed>> baseline(String stack) {
    Map<String, Map<String, PlanDiff.Deployed>> out = new TreeMap<>();
    current.forEach(
        (key, d) -> {
          if (key.stack().equals(stack)) {
            out.computeIfAbsent(key.cluster(), c -> new TreeMap<>())
                .put(
                    key.component(),
                    new PlanDiff.Deployed(d.digest(), d.chartVersion(), d.namespace()));
          }
        });
    return out;
  }

  /** The content a component had at a digest, if it is among the revisions kept. */
  public Optional<StepRequested> revision(Key key, String digest) {
    LinkedHashMap<String, StepRequested> revisions = history.get(key);
    return Optional.ofNullable(revisions == null ? null : revisions.get(digest));
  }

  public Optional<Deployed> current(Key key) {
    return Optional.ofNullable(current.get(key));
  }

  /** Everything deployed, ordered by cluster, stack and component. */
  public List<Map.Entry<Key, Deployed>> all() {
    return new ArrayList<>(current.entrySet());
  }

  private static int compare(Key a, Key b) {
    int c = a.cluster().compareTo(b.cluster());
    if (c == 0) {
      c = a.stack().compareTo(b.stack());
    }
    return c == 0 ? a.component().compareTo(b.component()) : c;
  }
}
