package io.stackpilot.planner.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Helm's merge of one values file over another, as a cluster's override is merged over the stack's
 * values: maps merge key by key, anything else (lists included) replaces, a null deletes the key.
 * One definition, so the rules judge exactly the values the plan applies.
 */
public final class HelmValues {
  private HelmValues() {}

  /** A new map; neither argument is changed. */
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    override.forEach(
        (k, v) -> {
          Object current = out.get(k);
          if (v == null) {
            out.remove(k);
          } else if (current instanceof Map<?, ?> a && v instanceof Map<?, ?> b) {
            out.put(k, merge(stringKeys(a), stringKeys(b)));
          } else {
            out.put(k, v);
          }
        });
    return out;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
