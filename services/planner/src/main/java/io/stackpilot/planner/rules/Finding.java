package io.stackpilot.planner.rules;

/**
 * One rule's finding: the field at fault (a path such as {@code
 * stack.spec.components[2].values.tempo.storage.traces}), what is wrong, how to fix it, and the
 * seed write-up the pitfall comes from (e.g. "001").
 */
public record Finding(
    String ruleId, Severity severity, String field, String message, String hint, String seed) {}
