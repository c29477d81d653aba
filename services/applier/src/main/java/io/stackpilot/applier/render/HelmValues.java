package io.stackpilot.applier.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A step's Helm values tree, as the HelmRelease or Application carries it: from {@code
 * StepRequested.valuesJson} (typed, as declared) when the step has it, else turned back from the
 * flattened values ({@code persistence.size=10Gi}, {@code extraArgs[0]=-x}) of a step written
 * before the planner sent typed values.
 *
 * <p>Everything below is about that fallback for old steps only: {@link #fromJson} keeps every type
 * and every key as declared, and guesses nothing.
 *
 * <p><b>Types.</b> The planner flattens with {@code String.valueOf}, so the original YAML type is
 * gone. Scalars are typed back exactly as {@code helm --set} types them: {@code true}/{@code false}
 * (any case) become booleans, {@code null} becomes null, a decimal integer without a leading zero
 * (or {@code 0}) becomes a number; everything else, floats included, stays a string. So a value
 * that was the string {@code "true"} or {@code "1"} becomes a boolean or number (as with {@code
 * --set}), and a float such as {@code 0.5} stays a string (as with {@code --set}). That broke real
 * charts (a quoted {@code "0.1"} where a chart's YAML wants a float, an image tag {@code "2.0"}
 * becoming a number), which is why steps now carry {@code valuesJson}.
 *
 * <p><b>Keys with dots.</b> Flattening joins keys with dots, and Helm keys often contain dots
 * ({@code grafana.ini}, {@code auth.github}, {@code config.expand-env}, annotation names). In an
 * old step they are recovered by these rules, in order:
 *
 * <ol>
 *   <li>{@code \.} is a literal dot (Helm's {@code --set} escape), for a flattener that escapes;
 *   <li>below a map of free-form keys ({@code annotations}, {@code labels}, {@code extraArgs},
 *       {@code nodeSelector}, ... see {@link #FREE_FORM_MAPS}) the rest of the path is one key;
 *   <li>below {@code grafana.ini} the last segment is the ini key and everything between is the
 *       section ({@code auth.github});
 *   <li>a segment that is a file extension ({@code yaml}, {@code ini}, ...) joins the one before
 *       ({@code datasources.yaml}, {@code rules.yaml}).
 * </ol>
 *
 * These cover every dotted key in the examples; a dotted key elsewhere splits into nested maps.
 */
public final class HelmValues {
  private HelmValues() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Maps whose keys are names chosen by the user (flags, annotations, labels), never paths. */
  static final Set<String> FREE_FORM_MAPS =
      Set.of(
          "annotations",
          "podAnnotations",
          "serviceAnnotations",
          "labels",
          "podLabels",
          "commonLabels",
          "extraLabels",
          "nodeSelector",
          "extraArgs",
          "externalLabels",
          "headers");

  static final Set<String> FILE_EXTENSIONS =
      Set.of("yaml", "yml", "json", "ini", "alloy", "river", "conf", "toml", "txt", "tpl");

  /**
   * The values tree of {@code StepRequested.valuesJson}: maps, lists and scalars exactly as the
   * JSON types them (numbers stay numbers, strings stay strings, floats stay floats).
   *
   * @throws IllegalArgumentException when it is not a JSON object (a bug upstream: the planner
   *     writes it from parsed values)
   */
  public static Map<String, Object> fromJson(String valuesJson) {
    try {
      Object tree = JSON.readValue(valuesJson, Object.class);
      if (tree instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) map;
        return values;
      }
      throw new IllegalArgumentException("valuesJson is not a JSON object");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("valuesJson is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The values tree of an old step: maps (keys sorted) and lists, scalars typed as above. */
  public static Map<String, Object> unflatten(Map<String, String> flat) {
    Map<String, Object> root = new TreeMap<>();
    new TreeMap<>(flat).forEach((key, value) -> put(root, path(key), typed(value)));
    return root;
  }

  /** A scalar typed as {@code helm --set} types it. */
  static Object typed(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("null")) {
      return null;
    }
    if (value.equals("0")) {
      return 0L;
    }
    if (!value.isEmpty() && value.charAt(0) != '0' && value.matches("[-+]?[0-9]{1,18}")) {
      return Long.parseLong(value);
    }
    return value;
  }

  /** A path step: a map key or a list index. */
  sealed interface Step permits Key, Index {}

  record Key(String name) implements Step {}

  record Index(int index) implements Step {}

  /** The path of a flattened key, with the dotted names the rules above recover. */
  static List<Step> path(String key) {
    List<String> names = new ArrayList<>();
    List<List<Integer>> indexes = new ArrayList<>();
    splitKey(key, names, indexes);
    names = joinDotted(names, indexes);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      steps.add(new Key(names.get(i)));
      indexes.get(i).forEach(ix -> steps.add(new Index(ix)));
    }
    return steps;
  }

  /** Splits on unescaped dots; {@code a[0][1]} gives name {@code a} with indexes 0, 1. */
  private static void splitKey(String key, List<String> names, List<List<Integer>> indexes) {
    StringBuilder name = new StringBuilder();
    List<Integer> ix = new ArrayList<>();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\' && i + 1 < key.length() && key.charAt(i + 1) == '.') {
        name.append('.');
        i++;
      } else if (c == '.') {
        names.add(name.toString());
        indexes.add(ix);
        name = new StringBuilder();
        ix = new ArrayList<>();
      } else if (c == '[' && key.indexOf(']', i) > i) {
        int end = key.indexOf(']', i);
        ix.add(Integer.parseInt(key.substring(i + 1, end)));
        i = end;
      } else {
        name.append(c);
      }
    }
    names.add(name.toString());
    indexes.add(ix);
  }

  /** Applies the dotted-key rules to segments that carry no list index of their own. */
  private static List<String> joinDotted(List<String> names, List<List<Integer>> indexes) {
    List<String> out = new ArrayList<>();
    List<List<Integer>> outIx = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      boolean plain = indexes.get(i).isEmpty();
      if (!out.isEmpty() && plain && outIx.get(outIx.size() - 1).isEmpty()) {
        String parent = out.get(out.size() - 1);
        if (FREE_FORM_MAPS.contains(parent) || parent.equals("grafana.ini")) {
          int last = parent.equals("grafana.ini") ? names.size() - 1 : names.size();
          if (i < last - 1 && indexes.subList(i, last).stream().allMatch(List::isEmpty)) {
            out.add(String.join(".", names.subList(i, last)));
            outIx.add(List.of());
            i = last - 1;
            continue;
          }
        } else if (FILE_EXTENSIONS.contains(name)) {
          out.set(out.size() - 1, parent + "." + name);
          continue;
        }
      }
      out.add(name);
      outIx.add(indexes.get(i));
    }
    indexes.clear();
    indexes.addAll(outIx);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, List<Step> path, Object value) {
    Object node = root;
    for (int i = 0; i < path.size(); i++) {
      Step step = path.get(i);
      boolean last = i == path.size() - 1;
      Object child =
          last ? value : path.get(i + 1) instanceof Index ? new ArrayList<>() : new TreeMap<>();
      if (step instanceof Key key && node instanceof Map<?, ?> map) {
        Map<String, Object> m = (Map<String, Object>) map;
        node = last ? m.put(key.name(), child) : m.computeIfAbsent(key.name(), k -> child);
      } else if (step instanceof Index index && node instanceof List<?> list) {
        List<Object> l = (List<Object>) list;
        while (l.size() <= index.index()) {
          l.add(null);
        }
        if (last) {
          l.set(index.index(), child);
        } else if (l.get(index.index()) == null) {
          l.set(index.index(), child);
        }
        node = l.get(index.index());
      } else {
        // a key both a scalar and a map (a.b=1, a.b.c=2): keep the first, as flatten cannot make it
        return;
      }
    }
  }

  /**
   * Adds {@code defaults} where the values say nothing: chart settings the supporting objects need
   * (e.g. Grafana's datasource sidecar), never overriding what the user wrote.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withDefaults(
      Map<String, Object> values, Map<String, Object> defaults) {
    Map<String, Object> out = new TreeMap<>(values);
    defaults.forEach(
        (k, v) -> {
          Object mine = out.get(k);
          if (mine == null && !out.containsKey(k)) {
            out.put(k, v);
          } else if (mine instanceof Map<?, ?> m && v instanceof Map<?, ?> d) {
            out.put(k, withDefaults((Map<String, Object>) m, (Map<String, Object>) d));
          }
        });
    return out;
  }

  /** A nested map from alternating keys and a final value: {@code nested("a", "b", 1)}. */
  static Map<String, Object> nested(Object... keysThenValue) {
    Object value = keysThenValue[keysThenValue.length - 1];
    for (int i = keysThenValue.length - 2; i >= 0; i--) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put((String) keysThenValue[i], value);
      value = m;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) value;
    return out;
  }
}
