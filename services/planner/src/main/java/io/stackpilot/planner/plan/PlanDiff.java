package io.stackpilot.planner.plan;

import io.stackpilot.events.ComponentChange;
import io.stackpilot.events.StepAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cuts a full plan down to what changes something against the current state: a component new to a
 * cluster is installed, a new chart version upgrades, new values on the same version reconfigure, a
 * component no longer in the stack is removed (pruned), and a component whose digest is what the
 * cluster runs is left out. Clusters with nothing to change leave their wave; empty waves go.
 *
 * <p>A pure function of the plan and the baseline, so planning a recorded change from its event
 * alone (which carries the baseline) gives the same steps on replay.
 */
public final class PlanDiff {
  private PlanDiff() {}

  /** What a cluster runs of a component, as the event log says. */
  public record Deployed(String digest, String chartVersion, String namespace) {}

  /** One line of the diff, as `stackctl apply` and the API show it. */
  public record Entry(
      String cluster,
      String component,
      ComponentChange change,
      String fromDigest,
      String toDigest,
      String fromVersion,
      String toVersion) {}

  /** The steps that change something, and the diff that explains them. */
  public record Diffed(Plan plan, List<Entry> entries) {
    public boolean unchanged() {
      return plan.steps().isEmpty();
    }
  }

  /**
   * @param baseline per cluster, per component, what it runs now; clusters the plan does not target
   *     are left alone (a cluster leaving the fleet keeps its stack until pruned explicitly)
   */
  public static Diffed diff(Plan full, Map<String, Map<String, Deployed>> baseline) {
    Map<String, List<Plan.Step>> byCluster = new LinkedHashMap<>();
    for (Plan.Step step : full.steps()) {
      byCluster.computeIfAbsent(step.cluster(), c -> new ArrayList<>()).add(step);
    }
    int removalOrder = full.steps().stream().mapToInt(Plan.Step::order).max().orElse(-1) + 1;
    Map<String, List<Plan.Step>> changed = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, List<Plan.Step>> e : byCluster.entrySet()) {
      String cluster = e.getKey();
      Map<String, Deployed> running = baseline.getOrDefault(cluster, Map.of());
      List<Plan.Step> steps = new ArrayList<>();
      Set<String> declared = new LinkedHashSet<>();
      for (Plan.Step step : e.getValue()) {
        declared.add(step.component());
        Deployed now = running.get(step.component());
        if (now != null && now.digest().equals(step.digest())) {
          continue;
        }
        ComponentChange change =
            now == null
                ? ComponentChange.INSTALL
                : Objects.equals(now.chartVersion(), step.chartVersion())
                    ? ComponentChange.RECONFIGURE
                    : ComponentChange.UPGRADE;
        String previous = now == null ? null : now.digest();
        steps.add(step.against(change, previous, step.waveIndex()));
        entries.add(
            new Entry(
                cluster,
                step.component(),
                change,
                previous,
                step.digest(),
                now == null ? null : now.chartVersion(),
                step.chartVersion()));
      }
      Plan.Step template = e.getValue().get(0);
      running.forEach(
          (component, now) -> {
            if (declared.contains(component)) {
              return;
            }
            steps.add(removal(template, component, now, removalOrder));
            entries.add(
                new Entry(
                    cluster,
                    component,
                    ComponentChange.REMOVE,
                    now.digest(),
                    null,
                    now.chartVersion(),
                    null));
          });
      if (!steps.isEmpty()) {
        changed.put(cluster, steps);
      }
    }
    return new Diffed(regroup(full, changed), List.copyOf(entries));
  }

  private static Plan.Step removal(Plan.Step template, String component, Deployed now, int order) {
    String rolloutId =
        template.stepId().substring(0, template.stepId().length() - template.component().length());
    return new Plan.Step(
        rolloutId + component,
        template.waveIndex(),
        template.cluster(),
        template.tenant(),
        component,
        now.namespace() == null ? template.namespace() : now.namespace(),
        order,
        List.of(),
        null,
        null,
        null,
        Map.of(),
        null,
        now.digest(),
        ComponentChange.REMOVE,
        now.digest(),
        StepAction.PRUNE,
        null);
  }

  /** Keeps the waves' order and names, without the clusters (and waves) that change nothing. */
  private static Plan regroup(Plan full, Map<String, List<Plan.Step>> changed) {
    List<Plan.Wave> waves = new ArrayList<>();
    List<Plan.Step> steps = new ArrayList<>();
    for (Plan.Wave wave : full.waves()) {
      List<String> clusters = wave.clusters().stream().filter(changed::containsKey).toList();
      if (clusters.isEmpty()) {
        continue;
      }
      int index = waves.size();
      waves.add(
          new Plan.Wave(
              index,
              wave.name(),
              clusters,
              wave.soakSeconds(),
              Math.min(wave.maxUnavailable(), clusters.size())));
      for (String cluster : clusters) {
        for (Plan.Step s : changed.get(cluster)) {
          steps.add(s.against(s.change(), s.previousDigest(), index));
        }
      }
    }
    return new Plan(
        List.copyOf(waves),
        List.copyOf(steps),
        full.gate(),
        full.stepTimeoutSeconds(),
        full.gateTimeoutSeconds(),
        full.driftMode());
  }
}
