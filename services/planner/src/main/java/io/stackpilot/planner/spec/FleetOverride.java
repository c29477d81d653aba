package io.stackpilot.planner.spec;

import java.util.Map;

/**
 * Values for one component on one cluster, deep-merged over the stack's values as Helm merges
 * values files: maps merge key by key, anything else (lists included) replaces, and null deletes.
 */
public record FleetOverride(Map<String, Object> values) {
  public Map<String, Object> valuesOrEmpty() {
    return values == null ? Map.of() : values;
  }
}
