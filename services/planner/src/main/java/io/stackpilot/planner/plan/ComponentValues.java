package io.stackpilot.planner.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A component's values on one cluster: the stack's, with the cluster's override merged over. */
final class ComponentValues {
  private ComponentValues() {}

  /** What a value writes where the cluster's tenant (its X-Scope-OrgID) belongs. */
  static final String TENANT_PLACEHOLDER = "${tenant}";

  /**
   * The values as one cluster gets them: {@value #TENANT_PLACEHOLDER} replaced by that cluster's
   * tenant, as the seeds' {@code {{ mimir_org_id }}} was per inventory host.
   */
  static Map<String, String> withTenant(Map<String, String> values, String tenant) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, v.replace(TENANT_PLACEHOLDER, tenant)));
    return out;
  }

  /** Nested values as sorted dotted keys ({@code persistence.size=10Gi}); lists by index. */
  static Map<String, String> flatten(Map<String, Object> values) {
    Map<String, String> out = new TreeMap<>();
    flatten("", values, out);
    return out;
  }

  private static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else {
      out.put(prefix, String.valueOf(value));
    }
  }
}
