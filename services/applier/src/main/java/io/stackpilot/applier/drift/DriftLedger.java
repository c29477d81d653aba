package io.stackpilot.applier.drift;

import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.DriftedObject;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.StepRequested;
import io.stackpilot.runtime.AppliedSteps;
import io.stackpilot.runtime.AppliedSteps.Key;
import io.stackpilot.runtime.Envelopes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The component's content as last applied, to compare the live objects with. */
  record Applied(Key key, int partition, StepRequested step) {}

  private static final class Partition {
    final AppliedSteps steps = new AppliedSteps();
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
    if (event instanceof DriftDetected d) {
      p.reported.put(new Key(d.getStackName(), d.getEnvelope().getCluster(), d.getComponent()), d);
      return;
    }
    AppliedSteps.Change change = p.steps.fold(event);
    if (change != null && change.step() == null) {
      p.reported.remove(change.key()); // pruned: nothing left to drift
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
          Set<Key> inFlight = p.steps.inFlight();
          p.steps
              .applied()
              .forEach(
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
    StepRequested now = p.steps.applied().get(compared.key());
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
}
