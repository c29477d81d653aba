package io.stackpilot.applier.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps the planner would send for an example stack, built by hand (the applier may not depend
 * on the planner): for the fleet's first cluster, each component's values flattened as {@code
 * ComponentValues.flatten} does (a copy of its few lines) with {@code ${tenant}} replaced, the same
 * values typed as sorted JSON ({@code valuesJson}, as {@code ComponentValues.json} writes it), the
 * typed settings as sorted JSON without the untyped fields (as {@code RolloutPlanner.render} writes
 * them), declared {@code dependsOn} only (the planner adds type tiers too) and a rank from them.
 * Digests are fixed strings, so golden files do not change with the digest function.
 */
final class ExampleSteps {
  static final Path EXAMPLES = Path.of("../../examples");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final List<String> UNTYPED =
      List.of("name", "type", "namespace", "chart", "dependsOn", "values", "driver");

  private ExampleSteps() {}

  /** The steps of one example file, with {@code driver} forced when not null. */
  @SuppressWarnings("unchecked")
  static List<StepRequested> of(String file, RenderDriver driver) {
    List<Map<String, Object>> docs = documents(EXAMPLES.resolve(file));
    Map<String, Object> stack =
        docs.stream()
            .filter(d -> "ObservabilityStack".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> fleet =
        docs.stream().filter(d -> "Fleet".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> cluster =
        ((List<Map<String, Object>>) ((Map<String, Object>) fleet.get("spec")).get("clusters"))
            .get(0);
    String clusterName = (String) cluster.get("name");
    String tenant = (String) cluster.getOrDefault("tenant", clusterName);
    Map<String, Object> spec = (Map<String, Object>) stack.get("spec");
    List<Map<String, Object>> components = (List<Map<String, Object>>) spec.get("components");
    Map<String, List<String>> deps = new HashMap<>();
    components.forEach(
        c ->
            deps.put(
                (String) c.get("name"), (List<String>) c.getOrDefault("dependsOn", List.of())));

    List<StepRequested> steps = new ArrayList<>();
    for (Map<String, Object> c : components) {
      String name = (String) c.get("name");
      Map<String, String> chart = (Map<String, String>) c.get("chart");
      Map<String, String> values = new TreeMap<>();
      flatten("", c.getOrDefault("values", Map.of()), values);
      values.replaceAll((k, v) -> v.replace("${tenant}", tenant));
      String declaredDriver = (String) c.getOrDefault("driver", spec.get("driver"));
      StepRequested step = Events.stepRequested("golden", clusterName, name);
      step.getEnvelope().setTenant(tenant);
      step.setNamespace((String) c.get("namespace"));
      step.setAction(StepAction.APPLY);
      step.setChart(
          new ChartRef(
              chart.get("repository"), chart.get("name"), String.valueOf(chart.get("version"))));
      step.setValues(values);
      step.setValuesJson(valuesJson(withTenant(c.getOrDefault("values", Map.of()), tenant)));
      step.setDigest("sha256:golden-" + name);
      step.setStackName((String) ((Map<String, Object>) stack.get("metadata")).get("name"));
      step.setComponentType((String) c.get("type"));
      step.setDriver(
          driver != null
              ? driver
              : declaredDriver == null ? null : RenderDriver.valueOf(declaredDriver.toUpperCase()));
      step.setDependsOn(deps.get(name));
      step.setOrder(rank(name, deps));
      step.setComponentSpec(typed(c));
      steps.add(step);
    }
    return steps;
  }

  static List<Map<String, Object>> documents(Path file) {
    try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
      List<Map<String, Object>> docs = new ArrayList<>();
      YAML.readValues(parser, Map.class).forEachRemaining(d -> docs.add(castMap(d)));
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  /** A copy of the planner's ComponentValues.flatten: dotted keys, lists by index. */
  static void flatten(String prefix, Object value, Map<String, String> out) {
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

  /** A copy of the planner's ComponentValues.withTenantTree: the placeholder in string leaves. */
  static Object withTenant(Object value, String tenant) {
    if (value instanceof String s) {
      return s.replace("${tenant}", tenant);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), withTenant(v, tenant)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> withTenant(v, tenant)).toList();
    }
    return value;
  }

  /** As the planner's ComponentValues.json: keys sorted at every level, nulls kept. */
  static String valuesJson(Object values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String typed(Map<String, Object> component) {
    Map<String, Object> typed = new LinkedHashMap<>(component);
    UNTYPED.forEach(typed::remove);
    try {
      return typed.isEmpty() ? null : JSON.writeValueAsString(new TreeMap<>(typed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Longest chain of declared dependencies below the component: its rank on the cluster. */
  private static int rank(String name, Map<String, List<String>> deps) {
    return deps.getOrDefault(name, List.of()).stream()
        .mapToInt(d -> rank(d, deps) + 1)
        .max()
        .orElse(0);
  }
}
