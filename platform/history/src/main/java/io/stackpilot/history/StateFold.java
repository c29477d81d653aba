package io.stackpilot.history;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.history.FleetState.AlertView;
import io.stackpilot.history.FleetState.ClusterState;
import io.stackpilot.history.FleetState.ComponentState;
import io.stackpilot.history.FleetState.GateView;
import io.stackpilot.history.FleetState.HealthView;
import io.stackpilot.history.FleetState.StackState;
import io.stackpilot.history.FleetState.StepView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one fold of Stackpilot events into {@link FleetState}: the live read model applies events as
 * they arrive, a point-in-time state applies those up to an instant or offsets, a replay applies a
 * range. It reads no clock and makes no ids.
 *
 * <p>Every fact is a last-writer-wins register ordered by the event's own (occurredAt, rank,
 * eventId), and the state is derived from the registers only when asked. So the result depends on
 * the set of events and not on the order they were read in: a consumer that reads the topics'
 * partitions interleaved one way reaches the same state, byte for byte, as a replay that reads them
 * another way. An event applied twice changes nothing.
 */
public final class StateFold {
  private final Set<String> seen = new HashSet<>();
  private long audited;
  private final Map<String, Register<StepRequested>> requests = new HashMap<>();
  private final Map<ComponentKey, Register<StepView>> lastStep = new HashMap<>();
  private final Map<ComponentKey, Register<StepRequested>> lastRequest = new HashMap<>();
  private final Map<ComponentKey, Register<StepApplied>> deployed = new HashMap<>();
  private final Map<ComponentKey, Register<HealthView>> health = new HashMap<>();
  private final Map<ComponentKey, Register<String>> drift = new HashMap<>();
  private final Map<String, Register<GateView>> gates = new HashMap<>();
  private final Map<String, Register<AlertStatusChanged>> alerts = new HashMap<>();
  private final Map<String, Register<DesiredStateChanged>> desired = new HashMap<>();
  private final Map<String, Register<RolloutStatusChanged>> rollouts = new HashMap<>();

  /** A component on a cluster: what the cluster-keyed events are about. */
  record ComponentKey(String cluster, String component) {}

  /** Folds the events, in any order, into a new fold. */
  public static StateFold of(Iterable<RecordedEvent> events) {
    StateFold fold = new StateFold();
    events.forEach(e -> fold.apply(e.event()));
    return fold;
  }

  /**
   * How many distinct events of the audit trail were applied. Telemetry (probe results, SLO
   * evaluations: {@link Topic.Retention#TELEMETRY}, kept 30 days) neither counts nor changes the
   * state, so the state of a range does not change when their retention deletes them.
   */
  public long events() {
    return audited;
  }

  /**
   * Applies one event. Audit events the state does not show (plans, notifications) only count;
   * telemetry neither counts nor changes anything. Returns false for a duplicate.
   */
  public boolean apply(SpecificRecord event) {
    EventEnvelope envelope = Topic.envelopeOf(event);
    if (!seen.add(envelope.getEventId())) {
      return false;
    }
    if (Topic.byValueType(event.getClass())
        .map(t -> t.retention() == Topic.Retention.TELEMETRY)
        .orElse(true)) {
      return true;
    }
    audited++;
    Stamp stamp = Stamp.of(envelope, 0);
    String cluster = envelope.getCluster();
    if (event instanceof StepRequested e) {
      ComponentKey key = new ComponentKey(cluster, e.getComponent());
      offer(requests, e.getStepId(), stamp, e);
      offer(lastRequest, key, stamp, e);
      offer(
          lastStep,
          key,
          stamp,
          new StepView(e.getStepId(), name(e.getAction()), "REQUESTED", e.getDigest(), null));
    } else if (event instanceof StepApplied e) {
      ComponentKey key = new ComponentKey(cluster, e.getComponent());
      offer(deployed, key, stamp, e);
      offer(
          lastStep,
          key,
          Stamp.of(envelope, 1),
          new StepView(e.getStepId(), name(e.getAction()), "APPLIED", e.getDigest(), null));
    } else if (event instanceof StepFailed e) {
      offer(
          lastStep,
          new ComponentKey(cluster, e.getComponent()),
          Stamp.of(envelope, 1),
          new StepView(
              e.getStepId(), null, "FAILED", e.getDigest(), e.getReason() + ": " + e.getMessage()));
    } else if (event instanceof ComponentVerified e) {
      offer(
          health,
          new ComponentKey(cluster, e.getComponent()),
          stamp,
          new HealthView(name(e.getHealth()), e.getReason(), e.getDigest()));
    } else if (event instanceof DriftDetected e) {
      offer(drift, new ComponentKey(cluster, e.getComponent()), stamp, name(e.getStatus()));
    } else if (event instanceof GateDecided e) {
      GateView gate =
          new GateView(
              envelope.getCorrelationId(),
              e.getWaveIndex(),
              name(e.getDecision()),
              List.copyOf(e.getReasons()));
      for (String c : new TreeSet<>(e.getClusters())) {
        offer(gates, c, stamp, gate);
      }
    } else if (event instanceof AlertStatusChanged e) {
      offer(alerts, e.getFingerprint(), stamp, e);
    } else if (event instanceof DesiredStateChanged e) {
      offer(desired, e.getStackName(), stamp, e);
    } else if (event instanceof RolloutStatusChanged e) {
      offer(rollouts, e.getStackName(), stamp, e);
    }
    return true;
  }

  /** The state the registers hold now. */
  public FleetState state() {
    SortedMap<String, StackState> stacks = new TreeMap<>();
    Set<String> stackNames = new TreeSet<>(desired.keySet());
    stackNames.addAll(rollouts.keySet());
    for (String stack : stackNames) {
      DesiredStateChanged d = value(desired.get(stack));
      RolloutStatusChanged r = value(rollouts.get(stack));
      stacks.put(
          stack,
          new StackState(
              d == null ? null : d.getSpecRevision(),
              d == null ? null : d.getFleetRevision(),
              d == null ? null : d.getEnvelope().getActor(),
              d == null ? null : d.getReason(),
              d == null ? null : d.getEnvelope().getCorrelationId(),
              r == null ? null : r.getEnvelope().getCorrelationId(),
              r == null ? null : name(r.getPhase()),
              r == null ? null : name(r.getTransition())));
    }
    SortedMap<String, ClusterState> clusters = new TreeMap<>();
    Set<ComponentKey> components = new HashSet<>(lastStep.keySet());
    components.addAll(deployed.keySet());
    components.addAll(health.keySet());
    components.addAll(drift.keySet());
    for (ComponentKey key : components) {
      if (key.cluster() == null) {
        continue; // cluster-scoped events always name their cluster; nothing to place otherwise
      }
      ClusterState cluster = clusters.computeIfAbsent(key.cluster(), StateFold::emptyCluster);
      cluster
          .stacks()
          .computeIfAbsent(stackOf(key), s -> new TreeMap<>())
          .put(key.component(), component(key));
    }
    gates.forEach(
        (c, gate) -> {
          ClusterState cluster = clusters.computeIfAbsent(c, StateFold::emptyCluster);
          clusters.put(c, new ClusterState(cluster.stacks(), gate.value, cluster.openAlerts()));
        });
    SortedMap<String, AlertView> unscoped = new TreeMap<>();
    alerts.forEach(
        (fingerprint, register) -> {
          AlertStatusChanged a = register.value;
          if (a.getStatus() != AlertStatus.FIRING) {
            return;
          }
          AlertView view =
              new AlertView(
                  fingerprint,
                  a.getLabels().get("alertname"),
                  a.getLabels().get("severity"),
                  a.getStartsAt() == null ? null : a.getStartsAt().toString());
          String c = a.getEnvelope().getCluster();
          if (c == null) {
            c = a.getLabels().get("cluster");
          }
          if (c == null) {
            unscoped.put(fingerprint, view);
          } else {
            clusters
                .computeIfAbsent(c, StateFold::emptyCluster)
                .openAlerts()
                .put(fingerprint, view);
          }
        });
    return new FleetState(audited, stacks, clusters, unscoped);
  }

  private ComponentState component(ComponentKey key) {
    StepApplied applied = value(deployed.get(key));
    boolean installed = applied != null && applied.getAction() != StepAction.PRUNE;
    StepRequested request = applied == null ? null : value(requests.get(applied.getStepId()));
    String chartVersion =
        installed && request != null && request.getChart() != null
            ? request.getChart().getVersion()
            : null;
    return new ComponentState(
        installed,
        chartVersion,
        installed ? applied.getDigest() : null,
        applied == null ? null : applied.getStepId(),
        lastStep(key),
        value(health.get(key)),
        value(drift.get(key)));
  }

  /** The component's latest step; a failure names the action its request asked for. */
  private StepView lastStep(ComponentKey key) {
    StepView step = value(lastStep.get(key));
    if (step == null || step.action() != null) {
      return step;
    }
    StepRequested request = value(requests.get(step.stepId()));
    return request == null || request.getAction() == null
        ? step
        : new StepView(
            step.stepId(),
            request.getAction().name(),
            step.outcome(),
            step.digest(),
            step.reason());
  }

  /** The stack of the step that deployed the component, else of its latest request, else "-". */
  private String stackOf(ComponentKey key) {
    StepApplied applied = value(deployed.get(key));
    StepRequested request = applied == null ? null : value(requests.get(applied.getStepId()));
    if (request == null) {
      request = value(lastRequest.get(key));
    }
    return request == null || request.getStackName() == null ? "-" : request.getStackName();
  }

  private static ClusterState emptyCluster(String name) {
    return new ClusterState(new TreeMap<>(), null, new TreeMap<>());
  }

  private static <K, V> void offer(Map<K, Register<V>> registers, K key, Stamp stamp, V value) {
    Register<V> current = registers.get(key);
    if (current == null || current.stamp.compareTo(stamp) < 0) {
      registers.put(key, new Register<>(stamp, value));
    }
  }

  private static <V> V value(Register<V> register) {
    return register == null ? null : register.value;
  }

  private static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  /** A value and the stamp of the event that wrote it. */
  private record Register<V>(Stamp stamp, V value) {}

  /**
   * The order of two writes to one register: when they happened, then rank (a step's result after
   * its request in the same millisecond), then event id, so that every pair is ordered.
   */
  private record Stamp(long at, int rank, String eventId) implements Comparable<Stamp> {
    static Stamp of(EventEnvelope envelope, int rank) {
      return new Stamp(envelope.getOccurredAt().toEpochMilli(), rank, envelope.getEventId());
    }

    @Override
    public int compareTo(Stamp o) {
      int c = Long.compare(at, o.at);
      if (c == 0) {
        c = Integer.compare(rank, o.rank);
      }
      return c != 0 ? c : eventId.compareTo(o.eventId);
    }
  }
}
