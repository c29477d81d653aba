package io.stackpilot.history;

import java.util.List;

/**
 * One line of a timeline: the event's ids and position, who did it and why, what it says, the
 * digests it names, and for a declaration the unified diff of the stack's YAML against the previous
 * revision of the stack.
 */
public record TimelineEntry(
    int index,
    String occurredAt,
    String type,
    String actor,
    String producer,
    String cluster,
    String component,
    String summary,
    String reason,
    List<String> digests,
    String specDiff,
    String eventId,
    String causationId,
    String correlationId,
    String position) {}
