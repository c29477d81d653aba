package io.stackpilot.history;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The events a {@link Selection} picks, in causal order: an event comes after the event that caused
 * it (its causationId), and events not ordered by causation come by occurredAt, then topic,
 * partition and offset. Clocks of different services may disagree; causation does not.
 */
public record Timeline(Selection selection, List<TimelineEntry> entries) {

  /**
   * @param log the whole loaded range (a declaration's diff is against the stack's previous
   *     revision even when the selection leaves that out), sorted or not
   */
  public static Timeline of(List<RecordedEvent> log, Selection selection) {
    List<RecordedEvent> picked = log.stream().filter(selection::matches).toList();
    List<RecordedEvent> ordered = causalOrder(picked);
    List<RecordedEvent> declarations =
        log.stream()
            .filter(e -> e.event() instanceof DesiredStateChanged)
            .sorted(RecordedEvent.BY_TIME_THEN_POSITION)
            .toList();
    List<TimelineEntry> entries = new ArrayList<>();
    for (RecordedEvent e : ordered) {
      entries.add(entry(entries.size(), e, declarations));
    }
    return new Timeline(selection, List.copyOf(entries));
  }

  /**
   * Causal order (Kahn's algorithm): an event whose cause is among the events waits for it; among
   * the events ready, the earliest by occurredAt then position goes first. A cause outside the
   * events (or a cycle, which a correct log never holds) does not hold an event back.
   */
  public static List<RecordedEvent> causalOrder(List<RecordedEvent> events) {
    Map<String, RecordedEvent> byId = new HashMap<>();
    for (RecordedEvent e : events) {
      byId.putIfAbsent(e.envelope().getEventId(), e);
    }
    Map<String, List<RecordedEvent>> effects = new HashMap<>();
    PriorityQueue<RecordedEvent> ready = new PriorityQueue<>(RecordedEvent.BY_TIME_THEN_POSITION);
    for (RecordedEvent e : events) {
      EventEnvelope envelope = e.envelope();
      String cause = envelope.getCausationId();
      RecordedEvent causeEvent = cause == null ? null : byId.get(cause);
      if (causeEvent == null || causeEvent == e) {
        ready.add(e);
      } else {
        effects.computeIfAbsent(cause, c -> new ArrayList<>()).add(e);
      }
    }
    List<RecordedEvent> ordered = new ArrayList<>(events.size());
    java.util.Set<RecordedEvent> emitted =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    while (ordered.size() < events.size()) {
      if (ready.isEmpty()) {
        // a cycle: release the earliest event still held back
        events.stream()
            .filter(e -> !emitted.contains(e))
            .min(RecordedEvent.BY_TIME_THEN_POSITION)
            .ifPresent(ready::add);
      }
      RecordedEvent next = ready.poll();
      if (!emitted.add(next)) {
        continue;
      }
      ordered.add(next);
      String id = next.envelope().getEventId();
      if (byId.get(id) == next) {
        ready.addAll(effects.getOrDefault(id, List.of()));
      }
    }
    return ordered;
  }

  private static TimelineEntry entry(
      int index, RecordedEvent recorded, List<RecordedEvent> declarations) {
    EventEnvelope envelope = recorded.envelope();
    String diff = null;
    if (recorded.event() instanceof DesiredStateChanged e) {
      DesiredStateChanged previous = previousRevision(recorded, e.getStackName(), declarations);
      diff =
          SpecDiff.unified(
              e.getStackName(),
              previous == null ? null : previous.getSpecRevision(),
              previous == null ? null : previous.getStackSpec(),
              e.getSpecRevision(),
              e.getStackSpec());
    }
    return new TimelineEntry(
        index,
        envelope.getOccurredAt().toString(),
        recorded.type(),
        envelope.getActor(),
        envelope.getProducer(),
        envelope.getCluster(),
        Selection.componentOf(recorded.event()),
        EventText.summary(recorded.event()),
        EventText.reason(recorded.event()),
        EventText.digests(recorded.event()),
        diff,
        envelope.getEventId(),
        envelope.getCausationId(),
        envelope.getCorrelationId(),
        recorded.position());
  }

  /** The stack's latest declaration before this one, in log order. */
  private static DesiredStateChanged previousRevision(
      RecordedEvent declaration, String stack, List<RecordedEvent> declarations) {
    DesiredStateChanged previous = null;
    for (RecordedEvent e : declarations) {
      if (e == declaration || RecordedEvent.BY_TIME_THEN_POSITION.compare(e, declaration) >= 0) {
        break;
      }
      DesiredStateChanged d = (DesiredStateChanged) e.event();
      if (d.getStackName().equals(stack)) {
        previous = d;
      }
    }
    return previous;
  }
}
