package io.stackpilot.planner.console;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.planner.api.RolloutViews;
import io.stackpilot.planner.rollout.Deployments;
import io.stackpilot.planner.rollout.RolloutState;
import io.stackpilot.planner.rollout.Rollouts;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.SpecParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the web console shows, built on the rollout loop's thread from the planner's read model
 * ({@link Rollouts}, folded from the topics): per stack, the grid of clusters × components with
 * health, and the active and recent rollouts with their waves and gate decisions. A pure function
 * of that state; the console stream pushes it whenever the state changes.
 */
public final class ConsoleView {
  /** How many finished rollouts the console lists besides the active ones. */
  public static final int RECENT = 10;

  private ConsoleView() {}

  /** The whole picture at one moment; {@code version} grows with each push. */
  public record Snapshot(
      long version, List<ClusterRow> clusters, List<StackGrid> stacks, List<RolloutRow> rollouts) {}

  /** A cluster the log names: registered in a fleet, planned in a wave, or running something. */
  public record ClusterRow(String name, String fleet, String tenant) {}

  /** One stack's grid: its components (columns) and, per cluster, the cells. */
  public record StackGrid(String stack, List<String> components, List<GridRow> rows) {}

  /** A cluster's row of a stack's grid; a component it does not run has no cell. */
  public record GridRow(String cluster, Map<String, Cell> cells) {}

  /**
   * A component on a cluster as last applied and verified. {@code health} is the verifier's verdict
   * (HEALTHY, PROGRESSING, DEGRADED, MISSING, UNKNOWN), or UNVERIFIED before it has one.
   */
  public record Cell(
      String health,
      String reason,
      String chartVersion,
      String digest,
      String rolloutId,
      Instant appliedAt) {}

  /** A rollout: where it stands, and its waves. */
  public record RolloutRow(
      String rolloutId,
      String stack,
      String phase,
      boolean active,
      String reason,
      String actor,
      Instant startedAt,
      Instant updatedAt,
      RolloutViews.Progress progress,
      List<WaveRow> waves) {}

  /** A wave, its clusters, where it is, and its gate's decision once the verifier made one. */
  public record WaveRow(int index, String name, List<String> clusters, String state, Gate gate) {}

  /** The verifier's decision on a wave's gate, with its reasons. */
  public record Gate(String decision, List<String> reasons) {}

  /** The snapshot of {@code rollouts}; call on the rollout loop. */
  public static Snapshot of(long version, Rollouts rollouts, SpecParser parser) {
    Map<String, ClusterRow> clusters = new TreeMap<>();
    rollouts
        .fleets()
        .values()
        .forEach(
            f -> {
              for (FleetSpec.Cluster c :
                  parser.parseFleet(f.getFleetSpec()).fleet().spec().clusters()) {
                clusters.putIfAbsent(
                    c.name(), new ClusterRow(c.name(), f.getFleetName(), c.tenant()));
              }
            });
    Map<String, Map<String, Map<String, Cell>>> grid = new TreeMap<>();
    Map<String, TreeSet<String>> columns = new TreeMap<>();
    for (Map.Entry<Deployments.Key, Deployments.Deployed> e : rollouts.deployments().all()) {
      Deployments.Key key = e.getKey();
      Deployments.Deployed d = e.getValue();
      clusters.putIfAbsent(key.cluster(), new ClusterRow(key.cluster(), null, d.tenant()));
      columns.computeIfAbsent(key.stack(), s -> new TreeSet<>()).add(key.component());
      grid.computeIfAbsent(key.stack(), s -> new TreeMap<>())
          .computeIfAbsent(key.cluster(), c -> new TreeMap<>())
          .put(
              key.component(),
              new Cell(
                  d.health() == null ? "UNVERIFIED" : d.health().name(),
                  d.healthReason(),
                  d.chartVersion(),
                  d.digest(),
                  d.rolloutId(),
                  d.appliedAt()));
    }
    List<RolloutRow> rows = new ArrayList<>();
    int finished = 0;
    for (RolloutState r : rollouts.all()) {
      if (r.stack() == null) {
        continue;
      }
      boolean active = r.active();
      if (!active && finished++ >= RECENT) {
        continue;
      }
      RolloutRow row = row(r, active);
      for (WaveRow w : row.waves()) {
        for (String c : w.clusters()) {
          clusters.putIfAbsent(c, new ClusterRow(c, null, null));
        }
      }
      rows.add(row);
    }
    List<StackGrid> stacks = new ArrayList<>();
    grid.forEach(
        (stack, byCluster) -> {
          List<GridRow> gridRows = new ArrayList<>();
          byCluster.forEach((cluster, cells) -> gridRows.add(new GridRow(cluster, cells)));
          stacks.add(new StackGrid(stack, List.copyOf(columns.get(stack)), gridRows));
        });
    return new Snapshot(version, List.copyOf(clusters.values()), stacks, rows);
  }

  private static RolloutRow row(RolloutState r, boolean active) {
    RolloutViews.Status status = RolloutViews.status(r);
    List<WaveRow> waves = new ArrayList<>();
    if (r.planned() != null) {
      for (PlannedWave w : r.planned().getWaves()) {
        GateDecided d = r.decision(w.getIndex());
        String state =
            status.waves().stream()
                .filter(v -> v.index() == w.getIndex())
                .map(RolloutViews.Wave::state)
                .findFirst()
                .orElse("PENDING");
        waves.add(
            new WaveRow(
                w.getIndex(),
                w.getName(),
                List.copyOf(w.getClusters()),
                state,
                d == null ? null : new Gate(d.getDecision().name(), List.copyOf(d.getReasons()))));
      }
    }
    return new RolloutRow(
        r.rolloutId(),
        r.stack(),
        status.phase(),
        active,
        status.reason(),
        status.actor(),
        status.startedAt(),
        status.updatedAt(),
        status.progress(),
        waves);
  }
}
