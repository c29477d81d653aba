package io.stackpilot.stackctl;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the events of the watched rollouts say so far: a line per event, counts per type, the plan's
 * size, the latest verdict per component and the latest status of each rollout. The rollout's own
 * status events (stackpilot.rollout-status) say when it has ended; counts cannot, since a rollout
 * may end without applying every planned step. Thread-safe: the feed writes, watchers wait.
 */
public final class RolloutTracker {
  private final PrintStream out;
  private final Set<String> rollouts = ConcurrentHashMap.newKeySet();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final Map<String, HealthStatus> verdicts = new ConcurrentHashMap<>();
  private final Map<String, RolloutStatusChanged> latest = new ConcurrentHashMap<>();
  private final Map<String, RolloutStatusChanged> ended = new ConcurrentHashMap<>();
  private final Object changed = new Object();
  private volatile int plannedSteps = -1;

  public RolloutTracker(PrintStream out) {
    this.out = out;
  }

  public void watch(String rolloutId) {
    rollouts.add(rolloutId);
  }

  /**
   * Takes one event read from the topics: when it belongs to a watched rollout (and was not seen
   * before: consumers dedupe by event id), counts it and prints its line.
   *
   * @return whether the event was about a watched rollout
   */
  public boolean accept(SpecificRecord event) {
    EventEnvelope envelope = Topic.envelopeOf(event);
    if (!rollouts.contains(envelope.getCorrelationId()) || !seen.add(envelope.getEventId())) {
      return false;
    }
    counts.merge(event.getSchema().getName(), 1, Integer::sum);
    if (event instanceof RolloutPlanned p) {
      plannedSteps = p.getSteps().size();
    } else if (event instanceof ComponentVerified v) {
      verdicts.put(envelope.getCluster() + "/" + v.getComponent(), v.getHealth());
    } else if (event instanceof RolloutStatusChanged s) {
      latest.put(envelope.getCorrelationId(), s);
      if (ExitCode.isTerminal(s.getPhase().name())) {
        ended.putIfAbsent(envelope.getCorrelationId(), s);
      }
    }
    out.println(EventLines.line(event));
    synchronized (changed) {
      changed.notifyAll();
    }
    return true;
  }

  /** How many events of a type were seen for the watched rollouts. */
  public int count(Class<?> type) {
    return counts.getOrDefault(type.getSimpleName(), 0);
  }

  /** Steps of the watched rollout's plan, or -1 until its RolloutPlanned has been read. */
  public int plannedSteps() {
    return plannedSteps;
  }

  /** cluster/component of every component whose latest verdict is not HEALTHY. */
  public Set<String> unhealthy() {
    Set<String> unhealthy = new TreeSet<>();
    verdicts.forEach(
        (component, health) -> {
          if (health != HealthStatus.HEALTHY) {
            unhealthy.add(component);
          }
        });
    return unhealthy;
  }

  /** The rollout's latest transition, if one was read. */
  public Optional<RolloutStatusChanged> status(String rolloutId) {
    return Optional.ofNullable(latest.get(rolloutId));
  }

  /** The transition that ended the rollout (its phase is terminal), if it was read. */
  public Optional<RolloutStatusChanged> ending(String rolloutId) {
    return Optional.ofNullable(ended.get(rolloutId));
  }

  /** Every verdict read so far has its notification outcome (sent or failed). */
  public boolean notified() {
    return count(NotificationSent.class) + count(NotificationFailed.class)
        >= count(ComponentVerified.class);
  }

  /**
   * Waits, without spinning, until the condition holds (checked whenever an event is taken) or the
   * timeout passes.
   *
   * @return whether the condition holds
   */
  public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
      return true;
    }
  }
}
