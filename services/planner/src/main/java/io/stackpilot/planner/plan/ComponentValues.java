package io.stackpilot.planner.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A component's values on one cluster: the stack's, with the cluster's override merged over. */
final class ComponentValues {
  private ComponentValues() {}

  /** What a value writes where the cluster's tenant (its X-Scope-OrgID) belongs. */
  static final String TENANT_PLACEHOLDER = "${tenant}";

  /** Keys sorted at every level, nulls kept (a null in Helm values deletes a chart default). */
  private static final ObjectMapper CANONICAL_JSON =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  /**
   * The values as one cluster gets them: {@value #TENANT_PLACEHOLDER} replaced by that cluster's
   * tenant, as the seeds' {@code {{ mimir_org_id }}} was per inventory host.
   */
  static Map<String, String> withTenant(Map<String, String> values, String tenant) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, v.replace(TENANT_PLACEHOLDER, tenant)));
    return out;
  }

  /**
   * The values tree with {@value #TENANT_PLACEHOLDER} replaced in its string leaves (as {@link
   * #withTenant(Map, String)} does in the flattened form); every other leaf keeps its type.
   */
  static Map<String, Object> withTenantTree(Map<String, Object> values, String tenant) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, withTenantLeaf(v, tenant)));
    return out;
  }

  private static Object withTenantLeaf(Object value, String tenant) {
    if (value instanceof String s) {
      return s.replace(TENANT_PLACEHOLDER, tenant);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), withTenantLeaf(v, tenant)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(withTenantLeaf(v, tenant)));
      return out;
    }
    return value;
  }

  /**
   * The values tree as canonical JSON: keys sorted at every level, so the same values always give
   * the same bytes. Types are kept: what the applier renders from ({@code
   * StepRequested.valuesJson}).
   */
  static String json(Map<String, Object> values) {
    try {
      return CANONICAL_JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("parsed values write back as JSON", e);
    }
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
