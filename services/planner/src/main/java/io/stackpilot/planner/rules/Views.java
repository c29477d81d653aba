package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.SpecParser;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The views of one declaration, built once for all rules, with the endpoints of each view read once
 * for the rules that need them. A cluster that overrides nothing sees the declared values, so it
 * shares the declared view's endpoints. One per evaluation: not shared between threads.
 */
final class Views {
  private final SpecParser.Declared declared;
  private final List<StackView> all;
  private final Map<StackView, List<Endpoints.Endpoint>> endpoints = new IdentityHashMap<>();

  private Views(SpecParser.Declared declared) {
    this.declared = declared;
    this.all = StackView.of(declared);
  }

  static Views of(SpecParser.Declared declared) {
    return new Views(declared);
  }

  SpecParser.Declared declared() {
    return declared;
  }

  /** The declared view, then one per cluster in fleet order. */
  List<StackView> all() {
    return all;
  }

  /** The views that can differ in values: the declared one and the clusters that override. */
  List<StackView> distinct() {
    return all.stream().filter(v -> v.declaredView() || overrides(v)).toList();
  }

  List<Endpoints.Endpoint> endpoints(StackView view) {
    StackView source = view.declaredView() || overrides(view) ? view : all.get(0);
    return endpoints.computeIfAbsent(source, Endpoints::of);
  }

  private static boolean overrides(StackView view) {
    return !view.cluster().overridesOrEmpty().isEmpty();
  }
}
