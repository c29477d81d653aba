package io.stackpilot.notifier.routing;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's inhibition: a target alert is muted by a firing source alert of the same rule
 * whose `equal` labels have the same values (absent on both sides counts as equal). When the target
 * also matches the source matchers, sources that also match the target matchers are not considered,
 * so an alert never inhibits itself and two such alerts do not inhibit each other.
 */
public final class Inhibitor {

  private final List<InhibitRule> rules;

  public Inhibitor(List<InhibitRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Whether the labels are inhibited by one of the alerts at this instant. */
  public boolean isInhibited(Map<String, String> labels, Collection<Alert> alerts, Instant now) {
    for (InhibitRule rule : rules) {
      if (!LabelMatcher.matchesAll(rule.targetMatchers(), labels)) {
        continue;
      }
      boolean twoSided = LabelMatcher.matchesAll(rule.sourceMatchers(), labels);
      for (Alert source : alerts) {
        if (source.resolvedAt(now)
            || !LabelMatcher.matchesAll(rule.sourceMatchers(), source.labels())
            || !equalOn(rule, source.labels(), labels)) {
          continue;
        }
        if (twoSided && LabelMatcher.matchesAll(rule.targetMatchers(), source.labels())) {
          continue;
        }
        return true;
      }
    }
    return false;
  }

  private static boolean equalOn(InhibitRule rule, Map<String, String> a, Map<String, String> b) {
    for (String label : rule.equal()) {
      if (!a.getOrDefault(label, "").equals(b.getOrDefault(label, ""))) {
        return false;
      }
    }
    return true;
  }
}
