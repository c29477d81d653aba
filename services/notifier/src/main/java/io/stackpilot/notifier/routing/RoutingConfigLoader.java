package io.stackpilot.notifier.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads an Alertmanager-style routing file (`route`, `inhibit_rules`, `time_intervals`,
 * `receivers`). Everything wrong is reported at once, each with the path of its field; nothing is
 * half-loaded.
 */
public final class RoutingConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_FIELDS =
      Set.of(
          "global",
          "templates",
          "route",
          "inhibit_rules",
          "time_intervals",
          "mute_time_intervals",
          "receivers");
  private static final Set<String> ROUTE_FIELDS =
      Set.of(
          "receiver",
          "group_by",
          "matchers",
          "match",
          "match_re",
          "continue",
          "group_wait",
          "group_interval",
          "repeat_interval",
          "mute_time_intervals",
          "active_time_intervals",
          "escalate_after",
          "routes");
  private static final Set<String> INHIBIT_FIELDS =
      Set.of(
          "source_matchers",
          "target_matchers",
          "source_match",
          "source_match_re",
          "target_match",
          "target_match_re",
          "equal");

  private final ConfigNodes nodes = new ConfigNodes();
  private final List<Reference> receiverRefs = new ArrayList<>();
  private final List<Reference> intervalRefs = new ArrayList<>();

  private RoutingConfigLoader() {}

  /** Parses and validates; throws {@link InvalidRoutingConfigException} listing every problem. */
  public static RoutingConfig load(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidRoutingConfigException(List.of("(file): not valid YAML: " + e.getMessage()));
    }
    return new RoutingConfigLoader().read(root);
  }

  private RoutingConfig read(JsonNode root) {
    if (!nodes.mapping(root, "(file)", TOP_FIELDS)) {
      throw new InvalidRoutingConfigException(nodes.violations());
    }
    Map<String, Receiver> receivers = receivers(root.get("receivers"));
    Map<String, TimeInterval> intervals = new LinkedHashMap<>();
    timeIntervals(root.get("mute_time_intervals"), "mute_time_intervals", intervals);
    timeIntervals(root.get("time_intervals"), "time_intervals", intervals);
    List<InhibitRule> inhibitRules = new ArrayList<>();
    for (ConfigNodes.Element e : nodes.list(root.get("inhibit_rules"), "inhibit_rules")) {
      InhibitRule rule = inhibitRule(e.node(), e.path());
      if (rule != null) {
        inhibitRules.add(rule);
      }
    }
    Route route = null;
    if (root.get("route") == null) {
      nodes.add("route", "missing: a routing file needs a root route");
    } else {
      route = route(root.get("route"), "route", null);
    }
    for (Reference r : receiverRefs) {
      if (!receivers.containsKey(r.name())) {
        nodes.add("receivers", "'" + r.name() + "' used at " + r.path() + " is not defined");
      }
    }
    for (Reference r : intervalRefs) {
      if (!intervals.containsKey(r.name())) {
        nodes.add("time_intervals", "'" + r.name() + "' used at " + r.path() + " is not defined");
      }
    }
    if (!nodes.violations().isEmpty()) {
      throw new InvalidRoutingConfigException(nodes.violations());
    }
    return new RoutingConfig(route, inhibitRules, intervals, receivers);
  }

  private Route route(JsonNode node, String path, Route parent) {
    if (!nodes.mapping(node, path, ROUTE_FIELDS)) {
      return null;
    }
    boolean root = parent == null;
    List<LabelMatcher> matchers = routeMatchers(node, path);
    String receiver = nodes.string(node.get("receiver"), path + ".receiver");
    if (receiver != null) {
      receiverRefs.add(new Reference(receiver, path + ".receiver"));
    } else if (root) {
      nodes.add(path + ".receiver", "root route must specify a default receiver");
    }
    boolean cont = bool(node.get("continue"), path + ".continue");
    List<String> mute = intervalNames(node, path, "mute_time_intervals");
    List<String> active = intervalNames(node, path, "active_time_intervals");
    if (root) {
      if (!matchers.isEmpty()) {
        nodes.add(path + ".matchers", "root route must not have any matchers");
      }
      if (cont) {
        nodes.add(path + ".continue", "cannot have continue in root route");
      }
      if (!mute.isEmpty()) {
        nodes.add(
            path + ".mute_time_intervals", "root route must not have any mute time intervals");
      }
      if (!active.isEmpty()) {
        nodes.add(
            path + ".active_time_intervals", "root route must not have any active time intervals");
      }
    }
    GroupBy groupBy = groupBy(node.get("group_by"), path + ".group_by");
    Duration wait = duration(node, path, "group_wait", false);
    Duration interval = duration(node, path, "group_interval", true);
    Duration repeat = duration(node, path, "repeat_interval", true);
    int escalateAfter = escalateAfter(node.get("escalate_after"), path + ".escalate_after");
    Route route =
        new Route(
            path,
            parent,
            matchers,
            receiver != null ? receiver : root ? "" : parent.receiver(),
            groupBy != null ? groupBy.labels() : root ? Set.of() : parent.groupBy(),
            groupBy != null ? groupBy.all() : !root && parent.groupByAll(),
            inherit(wait, parent, Route::groupWait, Route.DEFAULT_GROUP_WAIT),
            inherit(interval, parent, Route::groupInterval, Route.DEFAULT_GROUP_INTERVAL),
            inherit(repeat, parent, Route::repeatInterval, Route.DEFAULT_REPEAT_INTERVAL),
            cont,
            mute,
            active,
            escalateAfter);
    for (ConfigNodes.Element e : nodes.list(node.get("routes"), path + ".routes")) {
      Route child = route(e.node(), e.path(), route);
      if (child != null) {
        route.addChild(child);
      }
    }
    return route;
  }

  private static Duration inherit(
      Duration own,
      Route parent,
      java.util.function.Function<Route, Duration> fromParent,
      Duration dflt) {
    return own != null ? own : parent != null ? fromParent.apply(parent) : dflt;
  }

  // `matchers`, then the deprecated `match` (equality) and `match_re` (regex, stored anchored as
  // Alertmanager stores it, so it shows as `^(?:...)$` in the route key).
  private List<LabelMatcher> routeMatchers(JsonNode node, String path) {
    List<LabelMatcher> out = matcherList(node.get("matchers"), path + ".matchers");
    out.addAll(matcherMap(node.get("match"), path + ".match", false));
    out.addAll(matcherMap(node.get("match_re"), path + ".match_re", true));
    return out;
  }

  private List<LabelMatcher> matcherList(JsonNode node, String path) {
    List<LabelMatcher> out = new ArrayList<>();
    for (ConfigNodes.Element e : nodes.list(node, path)) {
      String text = nodes.string(e.node(), e.path());
      if (text == null) {
        continue;
      }
      try {
        out.add(LabelMatcher.parse(text));
      } catch (IllegalArgumentException ex) {
        nodes.add(e.path(), ex.getMessage());
      }
    }
    return out;
  }

  private List<LabelMatcher> matcherMap(JsonNode node, String path, boolean regex) {
    List<LabelMatcher> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      nodes.add(path, "expected a mapping of label names to values");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String at = path + "." + f.getKey();
      String value = nodes.string(f.getValue(), at);
      if (value == null) {
        continue;
      }
      try {
        out.add(
            regex
                ? LabelMatcher.of(f.getKey(), LabelMatcher.Type.REGEX, "^(?:" + value + ")$")
                : LabelMatcher.of(f.getKey(), LabelMatcher.Type.EQUAL, value));
      } catch (IllegalArgumentException ex) {
        nodes.add(at, ex.getMessage());
      }
    }
    return out;
  }

  private record GroupBy(Set<String> labels, boolean all) {}

  private GroupBy groupBy(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    Set<String> labels = new HashSet<>();
    boolean all = false;
    List<ConfigNodes.Element> elements = nodes.list(node, path);
    for (ConfigNodes.Element e : elements) {
      String label = nodes.string(e.node(), e.path());
      if (label == null) {
        continue;
      }
      if (label.equals("...")) {
        all = true;
      } else if (!LabelMatcher.isLabelName(label)) {
        nodes.add(e.path(), "invalid label name '" + label + "'");
      } else if (!labels.add(label)) {
        nodes.add(e.path(), "duplicated label '" + label + "' in group_by");
      }
    }
    if (all && elements.size() > 1) {
      nodes.add(path, "cannot have wildcard group_by ('...') and other labels at the same time");
    }
    return new GroupBy(all ? Set.of() : labels, all);
  }

  private Duration duration(JsonNode node, String path, String field, boolean nonZero) {
    String text = nodes.string(node.get(field), path + "." + field);
    if (text == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(text);
      if (nonZero && d.isZero()) {
        nodes.add(path + "." + field, field + " cannot be zero");
      }
      return d;
    } catch (IllegalArgumentException e) {
      nodes.add(path + "." + field, e.getMessage());
      return null;
    }
  }

  /** Stackpilot's escalate_after: a whole number of occurrences, at least 1 (the default). */
  private int escalateAfter(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return 1;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
      nodes.add(path, "expected a whole number of occurrences, at least 1, got " + node);
      return 1;
    }
    return node.intValue();
  }

  private boolean bool(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      nodes.add(path, "expected true or false");
      return false;
    }
    return node.booleanValue();
  }

  private List<String> intervalNames(JsonNode node, String path, String field) {
    List<String> names = new ArrayList<>();
    for (ConfigNodes.Element e : nodes.list(node.get(field), path + "." + field)) {
      String name = nodes.string(e.node(), e.path());
      if (name != null) {
        names.add(name);
        intervalRefs.add(new Reference(name, e.path()));
      }
    }
    return names;
  }

  private InhibitRule inhibitRule(JsonNode node, String path) {
    if (!nodes.mapping(node, path, INHIBIT_FIELDS)) {
      return null;
    }
    List<LabelMatcher> source = matcherList(node.get("source_matchers"), path + ".source_matchers");
    source.addAll(matcherMap(node.get("source_match"), path + ".source_match", false));
    source.addAll(matcherMap(node.get("source_match_re"), path + ".source_match_re", true));
    List<LabelMatcher> target = matcherList(node.get("target_matchers"), path + ".target_matchers");
    target.addAll(matcherMap(node.get("target_match"), path + ".target_match", false));
    target.addAll(matcherMap(node.get("target_match_re"), path + ".target_match_re", true));
    Set<String> equal = new HashSet<>();
    for (ConfigNodes.Element e : nodes.list(node.get("equal"), path + ".equal")) {
      String label = nodes.string(e.node(), e.path());
      if (label != null && !LabelMatcher.isLabelName(label)) {
        nodes.add(e.path(), "invalid label name '" + label + "'");
      } else if (label != null) {
        equal.add(label);
      }
    }
    return new InhibitRule(source, target, equal);
  }

  private Map<String, Receiver> receivers(JsonNode node) {
    Map<String, Receiver> out = new LinkedHashMap<>();
    for (ConfigNodes.Element e : nodes.list(node, "receivers")) {
      if (!e.node().isObject()) {
        nodes.add(e.path(), "expected a mapping");
        continue;
      }
      String name = nodes.string(e.node().get("name"), e.path() + ".name");
      if (name == null || name.isEmpty()) {
        nodes.add(e.path() + ".name", "missing: a receiver needs a name");
        continue;
      }
      ObjectNode settings = ((ObjectNode) e.node()).deepCopy();
      settings.remove("name");
      Map<String, Object> map = YAML.convertValue(settings, new TypeReference<>() {});
      if (out.putIfAbsent(name, new Receiver(name, map)) != null) {
        nodes.add(e.path() + ".name", "receiver '" + name + "' is defined more than once");
      }
    }
    return out;
  }

  private void timeIntervals(JsonNode node, String path, Map<String, TimeInterval> into) {
    TimeIntervalParser periods = new TimeIntervalParser(nodes);
    for (ConfigNodes.Element e : nodes.list(node, path)) {
      if (!nodes.mapping(e.node(), e.path(), Set.of("name", "time_intervals"))) {
        continue;
      }
      String name = nodes.string(e.node().get("name"), e.path() + ".name");
      if (name == null || name.isEmpty()) {
        nodes.add(e.path() + ".name", "missing: a time interval needs a name");
        continue;
      }
      List<TimeInterval.Period> list = new ArrayList<>();
      for (ConfigNodes.Element p :
          nodes.list(e.node().get("time_intervals"), e.path() + ".time_intervals")) {
        TimeInterval.Period period = periods.period(p.node(), p.path());
        if (period != null) {
          list.add(period);
        }
      }
      if (into.putIfAbsent(name, new TimeInterval(name, list)) != null) {
        nodes.add(e.path() + ".name", "time interval '" + name + "' is defined more than once");
      }
    }
  }

  /** A name used somewhere, to be checked once everything is read. */
  private record Reference(String name, String path) {}
}
