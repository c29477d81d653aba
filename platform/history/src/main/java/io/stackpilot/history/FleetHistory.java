package io.stackpilot.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A loaded range of the log, and the questions it answers: the state at an instant or at a set of
 * offsets (through the same {@link StateFold} the live read model uses), and timelines.
 */
public final class FleetHistory {
  private final List<RecordedEvent> events;

  public FleetHistory(List<RecordedEvent> events) {
    List<RecordedEvent> sorted = new ArrayList<>(events);
    sorted.sort(RecordedEvent.BY_TIME_THEN_POSITION);
    this.events = List.copyOf(sorted);
  }

  /** Every event of the range, by occurredAt then position. */
  public List<RecordedEvent> events() {
    return events;
  }

  /** The state after every event of the range. */
  public FleetState state() {
    return StateFold.of(events).state();
  }

  /** The state as of an instant: every event that occurred at or before it. */
  public FleetState stateAt(Instant at) {
    return StateFold.of(
            events.stream().filter(e -> !e.envelope().getOccurredAt().isAfter(at)).toList())
        .state();
  }

  /**
   * The state as of a cut of the log: per partition, the events below the given offset (the next
   * offset a consumer would read); partitions not named contribute nothing.
   */
  public FleetState stateAt(Map<TopicPartition, Long> cut) {
    return StateFold.of(
            events.stream()
                .filter(e -> e.offset() < cut.getOrDefault(e.topicPartition(), 0L))
                .toList())
        .state();
  }

  /** The timeline of the events a selection picks, in causal order. */
  public Timeline timeline(Selection selection) {
    return Timeline.of(events, selection);
  }
}
