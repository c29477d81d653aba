package io.stackpilot.notifier.routing;

import java.util.List;
import java.util.Set;

/** An `inhibit_rules` entry: firing sources mute matching targets that agree on `equal`. */
public record InhibitRule(
    List<LabelMatcher> sourceMatchers, List<LabelMatcher> targetMatchers, Set<String> equal) {

  public InhibitRule {
    sourceMatchers = List.copyOf(sourceMatchers);
    targetMatchers = List.copyOf(targetMatchers);
    equal = Set.copyOf(equal);
  }
}
