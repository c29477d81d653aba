package io.stackpilot.applier.drift;

import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.DriftedObject;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the drift detector knows, folded from the log per partition of the cluster-keyed topics: the
 * last step applied to each component (what its live objects must hold), the steps still in flight
 * (a component is not compared while one is), and the last drift report of each component (so a
 * drift is reported once, and its end once). Rebuilt from the beginning of the partitions an
 * instance is assigned; dropped for the partitions it loses.
 *
 * <p>Facts are folded in any order the topics are read in: a result whose request is not known yet
 * waits for it. Not thread-safe: the detector's loop owns it.
 */
final class DriftLedger {
  /** Field paths named per object; the rest are counted. */
  static final int FIELDS_PER_OBJECT = 20;

  /** A stack's component on a cluster. */
  record Key(String stack, String cluster, String component) {}

  /** The component's content as last applied, to compare the live objects with. */
  record Applied(Key key, int partition, StepRequested step) {}

  private static final class Partition {
    final Map<String, StepRequested> requested = new HashMap<>();
    final Map<String, StepApplied> appliedEarly = new HashMap<>();
    final Map<String, StepFailed> failedEarly = new HashMap<>();
    final Map<Key, StepRequested> applied = new TreeMap<>(DriftLedger::compare);
    final Map<Key, DriftDetected> reported = new HashMap<>();
  }

  private final Map<Integer, Partition> partitions = new TreeMap<>();
  private final Envelopes envelopes;

  DriftLedger(Envelopes envelopes) {
    this.envelopes = envelopes;
  }

  /** Starts a partition from nothing: it is about to be read from its beginning. */
  void assigned(int partition) {
    partitions.put(partition, new Partition());
  }

  void revoked(int partition) {
    partitions.remove(partition);
  }

  Set<Integer> partitions() {
    return partitions.keySet();
  }

  void fold(int partition, Object event) {
    Partition p = partitions.get(partition);
    if (p == null) {
      return;
    }
    if (event instanceof StepRequested s) {
      p.requested.put(s.getStepId(), s);
      StepApplied early = p.appliedEarly.remove(s.getStepId());
      if (early != null) {
        onApplied(p, early);
      }
      StepFailed failed = p.failedEarly.remove(s.getStepId());
      if (failed != null) {
        p.requested.remove(s.getStepId());
      }
    } else if (event instanceof StepApplied a) {
      onApplied(p, a);
    } else if (event instanceof StepFailed f) {
      if (p.requested.remove(f.getStepId()) == null) {
        p.failedEarly.put(f.getStepId(), f);
      }
    } else if (event instanceof DriftDetected d) {
      p.reported.put(new Key(d.getStackName(), d.getEnvelope().getCluster(), d.getComponent()), d);
    }
  }

  private static void onApplied(Partition p, StepApplied applied) {
    StepRequested step = p.requested.remove(applied.getStepId());
    if (step == null) {
      p.appliedEarly.put(applied.getStepId(), applied);
      return;
    }
    Key key = keyOf(step);
    if (applied.getAction() == StepAction.PRUNE) {
      p.applied.remove(key);
      p.reported.remove(key);
    } else {
      p.applied.put(key, step);
    }
  }

  /**
   * The components to compare now: applied, in one of the given (caught-up) partitions, and with no
   * step of theirs in flight (their objects are about to change anyway).
   */
  List<Applied> due(Set<Integer> caughtUp) {
    List<Applied> out = new ArrayList<>();
    partitions.forEach(
        (number, p) -> {
          if (!caughtUp.contains(number)) {
            return;
          }
          Set<Key> inFlight = new HashSet<>();
          p.requested.values().forEach(s -> inFlight.add(keyOf(s)));
          p.applied.forEach(
              (key, step) -> {
                if (!inFlight.contains(key)) {
                  out.add(new Applied(key, number, step));
                }
              });
        });
    return out;
  }

  /**
   * What a comparison of {@code compared} (the drifted objects it found, empty when the live
   * objects hold everything) must report, if anything: a drift not reported yet (new, different, or
   * against a newer step), or the end of the one reported.
   */
  Optional<DriftDetected> report(Applied compared, List<DriftedObject> drifted, int checked) {
    Partition p = partitions.get(compared.partition());
    if (p == null) {
      return Optional.empty();
    }
    StepRequested now = p.applied.get(compared.key());
    if (now == null || !now.getStepId().equals(compared.step().getStepId())) {
      return Optional.empty(); // a newer step or a prune came in while comparing: next round
    }
    DriftDetected last = p.reported.get(compared.key());
    boolean lastDrifted = last != null && last.getStatus() == DriftStatus.DRIFTED;
    if (drifted.isEmpty()) {
      return lastDrifted
          ? Optional.of(event(compared, DriftStatus.RESOLVED, List.of(), checked, last))
          : Optional.empty();
    }
    if (lastDrifted
        && last.getStepId().equals(now.getStepId())
        && fingerprint(last.getObjects()).equals(fingerprint(drifted))) {
      return Optional.empty();
    }
    return Optional.of(event(compared, DriftStatus.DRIFTED, drifted, checked, null));
  }

  private DriftDetected event(
      Applied compared,
      DriftStatus status,
      List<DriftedObject> drifted,
      int checked,
      DriftDetected resolving) {
    StepRequested step = compared.step();
    EventEnvelope envelope =
        resolving != null
            ? envelopes.causedBy(resolving.getEnvelope())
            : EventEnvelope.newBuilder(
                    envelopes.root(DriftDetector.ACTOR, "drift-" + UUID.randomUUID()))
                .setCluster(compared.key().cluster())
                .setTenant(step.getEnvelope().getTenant())
                .build();
    return DriftDetected.newBuilder()
        .setEnvelope(envelope)
        .setStackName(compared.key().stack())
        .setComponent(compared.key().component())
        .setNamespace(step.getNamespace())
        .setStepId(step.getStepId())
        .setDigest(step.getDigest())
        .setStatus(status)
        .setObjects(drifted)
        .setCheckedObjects(checked)
        .build();
  }

  /** What a drift is, without the resourceVersions that every edit changes. */
  private static Map<String, List<String>> fingerprint(List<DriftedObject> objects) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (DriftedObject o : objects) {
      var r = o.getResource();
      out.put(
          r.getKind() + "/" + r.getNamespace() + "/" + r.getName() + "/" + o.getDrift(),
          List.copyOf(o.getFields()));
    }
    return out;
  }

  static Key keyOf(StepRequested step) {
    return new Key(
        Objects.requireNonNullElse(step.getStackName(), ""),
        step.getEnvelope().getCluster(),
        step.getComponent());
  }

  private static int compare(Key a, Key b) {
    int c = a.cluster().compareTo(b.cluster());
    if (c == 0) {
      c = a.stack().compareTo(b.stack());
    }
    return c == 0 ? a.component().compareTo(b.component()) : c;
  }
}
