package io.stackpilot.notifier.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node of the routing tree, with its options already inherited from its parent as Alertmanager
 * inherits them (receiver, group_by, group_wait, group_interval, repeat_interval; not continue, not
 * the time intervals, not Stackpilot's escalate_after).
 */
public final class Route {

  static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
  static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  private final String path;
  private final Route parent;
  private final List<LabelMatcher> matchers;
  private final String receiver;
  private final Set<String> groupBy;
  private final boolean groupByAll;
  private final Duration groupWait;
  private final Duration groupInterval;
  private final Duration repeatInterval;
  private final boolean continueMatching;
  private final List<String> muteTimeIntervals;
  private final List<String> activeTimeIntervals;
  private final int escalateAfter;
  private final List<Route> routes = new ArrayList<>();

  Route(
      String path,
      Route parent,
      List<LabelMatcher> matchers,
      String receiver,
      Set<String> groupBy,
      boolean groupByAll,
      Duration groupWait,
      Duration groupInterval,
      Duration repeatInterval,
      boolean continueMatching,
      List<String> muteTimeIntervals,
      List<String> activeTimeIntervals,
      int escalateAfter) {
    this.path = path;
    this.parent = parent;
    this.matchers = matchers.stream().sorted().toList();
    this.receiver = receiver;
    this.groupBy = Set.copyOf(groupBy);
    this.groupByAll = groupByAll;
    this.groupWait = groupWait;
    this.groupInterval = groupInterval;
    this.repeatInterval = repeatInterval;
    this.continueMatching = continueMatching;
    this.muteTimeIntervals = List.copyOf(muteTimeIntervals);
    this.activeTimeIntervals = List.copyOf(activeTimeIntervals);
    this.escalateAfter = escalateAfter;
  }

  void addChild(Route child) {
    routes.add(child);
  }

  /**
   * The routes an alert goes to: depth first, the first matching child unless it has `continue`,
   * and this route itself when no child matches. Empty when this route does not match.
   */
  public List<Route> match(Map<String, String> labels) {
    if (!LabelMatcher.matchesAll(matchers, labels)) {
      return List.of();
    }
    List<Route> all = new ArrayList<>();
    for (Route child : routes) {
      List<Route> matched = child.match(labels);
      all.addAll(matched);
      if (!matched.isEmpty() && !child.continueMatching) {
        break;
      }
    }
    if (all.isEmpty()) {
      all.add(this);
    }
    return all;
  }

  /** Alertmanager's route key: the matchers of every route from the root, `{}/{a="b"}`. */
  public String key() {
    String own = LabelMatcher.toString(matchers);
    return parent == null ? own : parent.key() + "/" + own;
  }

  /** The labels this route groups an alert by: the group_by labels it has, or all of them. */
  public Map<String, String> groupLabels(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (groupByAll || groupBy.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Alertmanager's group key: route key, `:`, the group labels as `{a="x", b="y"}`. */
  public String groupKey(Map<String, String> labels) {
    StringBuilder b = new StringBuilder(key()).append(":{");
    String sep = "";
    for (Map.Entry<String, String> e : groupLabels(labels).entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(LabelMatcher.quote(e.getValue()));
      sep = ", ";
    }
    return b.append('}').toString();
  }

  /** Where this route is in the configuration, e.g. `route.routes[1]`. */
  public String path() {
    return path;
  }

  public List<LabelMatcher> matchers() {
    return matchers;
  }

  public String receiver() {
    return receiver;
  }

  public Set<String> groupBy() {
    return groupBy;
  }

  public boolean groupByAll() {
    return groupByAll;
  }

  public Duration groupWait() {
    return groupWait;
  }

  public Duration groupInterval() {
    return groupInterval;
  }

  public Duration repeatInterval() {
    return repeatInterval;
  }

  public boolean continueMatching() {
    return continueMatching;
  }

  public List<String> muteTimeIntervals() {
    return muteTimeIntervals;
  }

  public List<String> activeTimeIntervals() {
    return activeTimeIntervals;
  }

  /**
   * Stackpilot's {@code escalate_after} (not Alertmanager's, not inherited): how many alert
   * occurrences a group of this route must have had before it notifies at all; 1 (the default)
   * notifies at the first, as Alertmanager does.
   */
  public int escalateAfter() {
    return escalateAfter;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  @Override
  public String toString() {
    return path + " -> " + receiver;
  }
}
