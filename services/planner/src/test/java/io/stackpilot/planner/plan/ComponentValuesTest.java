package io.stackpilot.planner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Overrides merge as Helm merges values files; flattening gives sorted dotted keys. */
class ComponentValuesTest {

  @Test
  void mapsMergeDeeplyAndEverythingElseReplaces() {
    Map<String, Object> base =
        Map.of(
            "loki", Map.of("auth_enabled", true, "limits", Map.of("retention", "168h", "qps", 10)),
            "tolerations", List.of("a", "b"),
            "replicas", 1);
    Map<String, Object> override =
        Map.of(
            "loki", Map.of("limits", Map.of("retention", "720h")),
            "tolerations", List.of("c"),
            "replicas", 3);

    assertThat(ComponentValues.flatten(io.stackpilot.planner.spec.HelmValues.merge(base, override)))
        .containsExactly(
            Map.entry("loki.auth_enabled", "true"),
            Map.entry("loki.limits.qps", "10"),
            Map.entry("loki.limits.retention", "720h"),
            Map.entry("replicas", "3"),
            Map.entry("tolerations[0]", "c"));
  }

  @Test
  void nullDeletesAKeyAndNothingIsChangedInPlace() {
    Map<String, Object> inner = new LinkedHashMap<>(Map.of("size", "10Gi", "enabled", true));
    Map<String, Object> base = new LinkedHashMap<>(Map.of("persistence", inner));
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("size", null);
    Map<String, Object> merged =
        io.stackpilot.planner.spec.HelmValues.merge(base, Map.of("persistence", nulls));

    assertThat(ComponentValues.flatten(merged))
        .containsExactly(Map.entry("persistence.enabled", "true"));
    assertThat(inner).containsKey("size");
  }

  @Test
  void theTenantPlaceholderBecomesTheClustersTenant() {
    assertThat(
            ComponentValues.withTenant(
                java.util.Map.of("alloy.config", "headers = {\"X-Scope-OrgID\" = \"${tenant}\"}"),
                "cryptellation"))
        .containsEntry("alloy.config", "headers = {\"X-Scope-OrgID\" = \"cryptellation\"}");
  }
}
