package io.stackpilot.planner.spec;

import io.stackpilot.planner.spec.SpecException.Violation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fleet half of {@link SpecValidator}: clusters, selectors, per-cluster overrides and the
 * rollout strategy. Every violation names its field path.
 */
final class FleetValidator {
  private static final String OPERATORS =
      Arrays.stream(FleetSelector.Operator.values())
          .map(FleetSelector.Operator::yamlName)
          .collect(Collectors.joining(", "));

  /** The stack's component names, or null when the stack is too broken to check overrides. */
  private final Set<String> components;

  FleetValidator(Set<String> components) {
    this.components = components;
  }

  void validate(FleetSpec fleet, List<Violation> out) {
    if (fleet.metadata() == null || SpecValidator.blank(fleet.metadata().name())) {
      out.add(new Violation("fleet.metadata.name", "required"));
    }
    if (fleet.spec() == null || fleet.spec().clusters() == null) {
      out.add(new Violation("fleet.spec.clusters", "required"));
      return;
    }
    if (fleet.spec().clusters().isEmpty()) {
      out.add(new Violation("fleet.spec.clusters", "must name at least one cluster"));
      return;
    }
    Set<String> names = clusters(fleet.spec().clusters(), out);
    boolean selectorValid = selector("fleet.spec.selector", fleet.spec().selector(), out);
    List<FleetSpec.Cluster> selected = null;
    if (selectorValid) {
      selected = FleetSelectorMatcher.select(fleet.spec().selector(), fleet.spec().clusters());
      if (selected.isEmpty()) {
        out.add(new Violation("fleet.spec.selector", "selects no cluster of fleet.spec.clusters"));
        selected = null;
      }
    }
    FleetSpec.Drift drift = fleet.spec().drift();
    if (drift != null && (drift.mode() == null || FleetSpec.Drift.modeOf(drift.mode()).isEmpty())) {
      out.add(
          new Violation(
              "fleet.spec.drift.mode", "must be warn or correct, not '" + drift.mode() + "'"));
    }
    if (fleet.spec().rollout() != null) {
      rollout(fleet.spec().rollout(), names, selected, out);
    }
  }

  private Set<String> clusters(List<FleetSpec.Cluster> list, List<Violation> out) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      FleetSpec.Cluster c = list.get(i);
      String at = "fleet.spec.clusters[" + i + "]";
      if (c == null) {
        out.add(new Violation(at, "required"));
        continue;
      }
      SpecValidator.dnsLabel(at + ".name", c.name(), out);
      SpecValidator.required(at + ".tenant", c.tenant(), out);
      if (c.name() != null && !names.add(c.name())) {
        out.add(new Violation(at + ".name", "duplicate cluster '" + c.name() + "'"));
      }
      labels(at + ".labels", c.labelsOrEmpty(), out);
      if (components != null) {
        for (String component : c.overridesOrEmpty().keySet()) {
          if (!components.contains(component)) {
            out.add(
                new Violation(
                    at + ".overrides." + component,
                    "no component named '" + component + "' in the stack"));
          }
        }
      }
    }
    return names;
  }

  private static void labels(String at, Map<String, String> labels, List<Violation> out) {
    labels.forEach(
        (k, v) -> {
          if (SpecValidator.blank(k)) {
            out.add(new Violation(at, "a label key must not be empty"));
          } else if (v == null) {
            out.add(new Violation(at + "." + k, "required (use \"\" for an empty value)"));
          }
        });
  }

  /** Checks a selector's structure; true when it can be evaluated. */
  private static boolean selector(String at, FleetSelector selector, List<Violation> out) {
    if (selector == null) {
      return true;
    }
    int before = out.size();
    labels(at + ".matchLabels", selector.matchLabelsOrEmpty(), out);
    List<FleetSelector.Requirement> expressions = selector.matchExpressionsOrEmpty();
    for (int i = 0; i < expressions.size(); i++) {
      requirement(at + ".matchExpressions[" + i + "]", expressions.get(i), out);
    }
    return out.size() == before;
  }

  private static void requirement(String at, FleetSelector.Requirement r, List<Violation> out) {
    if (r == null) {
      out.add(new Violation(at, "required"));
      return;
    }
    SpecValidator.required(at + ".key", r.key(), out);
    if (SpecValidator.blank(r.operator())) {
      out.add(new Violation(at + ".operator", "required (one of " + OPERATORS + ")"));
      return;
    }
    var op = FleetSelector.Operator.of(r.operator());
    if (op.isEmpty()) {
      out.add(
          new Violation(
              at + ".operator", "must be one of " + OPERATORS + ", not '" + r.operator() + "'"));
    } else if (op.get().takesValues() && r.valuesOrEmpty().isEmpty()) {
      out.add(new Violation(at + ".values", "required for " + r.operator() + ": at least one"));
    } else if (!op.get().takesValues() && !r.valuesOrEmpty().isEmpty()) {
      out.add(new Violation(at + ".values", "must be empty for " + r.operator()));
    }
  }

  /** {@code selected} is null when the selection is unknown (invalid or empty selector). */
  private static void rollout(
      FleetSpec.Rollout rollout,
      Set<String> names,
      List<FleetSpec.Cluster> selected,
      List<Violation> out) {
    String at = "fleet.spec.rollout";
    Set<String> selectedNames =
        selected == null
            ? null
            : selected.stream().map(FleetSpec.Cluster::name).collect(Collectors.toSet());
    canaries(rollout.canaryOrEmpty(), names, selectedNames, out);
    if (selector(at + ".canarySelector", rollout.canarySelector(), out)
        && rollout.canarySelector() != null
        && selected != null
        && FleetSelectorMatcher.select(rollout.canarySelector(), selected).isEmpty()) {
      out.add(
          new Violation(
              at + ".canarySelector", "selects no cluster that fleet.spec.selector selects"));
    }
    boolean batchOk = quantity(at + ".batchSize", rollout.batchSize(), out);
    boolean maxOk = quantity(at + ".maxUnavailable", rollout.maxUnavailable(), out);
    if (batchOk && maxOk && rollout.maxUnavailable() != null && selected != null) {
      int batch =
          rollout.batchSize() == null
              ? selected.size()
              : rollout.batchSize().resolve(selected.size(), true);
      int max = rollout.maxUnavailable().resolve(selected.size(), false);
      if (max > batch) {
        out.add(
            new Violation(
                at + ".maxUnavailable",
                "must not exceed the batch size: "
                    + max
                    + " > "
                    + batch
                    + " (of "
                    + selected.size()
                    + " selected clusters)"));
      }
    }
    if (rollout.soakSeconds() != null && rollout.soakSeconds() < 0) {
      out.add(new Violation(at + ".soakSeconds", "must not be negative"));
    }
    if (rollout.stepTimeoutSeconds() != null && rollout.stepTimeoutSeconds() < 1) {
      out.add(new Violation(at + ".stepTimeoutSeconds", "must be at least 1"));
    }
    if (rollout.gateTimeoutSeconds() != null && rollout.gateTimeoutSeconds() < 1) {
      out.add(new Violation(at + ".gateTimeoutSeconds", "must be at least 1"));
    }
    Double burn = rollout.gatesOrDefault().maxBurnRate();
    if (burn != null && !(burn > 0 && Double.isFinite(burn))) {
      out.add(new Violation(at + ".gates.maxBurnRate", "must be a positive number, not " + burn));
    }
    if (rollout.onGateFailure() != null
        && RolloutGateFailure.of(rollout.onGateFailure()).isEmpty()) {
      out.add(
          new Violation(
              at + ".onGateFailure",
              "must be halt or rollback-wave, not '" + rollout.onGateFailure() + "'"));
    }
  }

  private static void canaries(
      List<String> canary, Set<String> names, Set<String> selected, List<Violation> out) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < canary.size(); i++) {
      String name = canary.get(i);
      String at = "fleet.spec.rollout.canary[" + i + "]";
      if (SpecValidator.blank(name)) {
        out.add(new Violation(at, "required"));
      } else if (!names.contains(name)) {
        out.add(new Violation(at, "no cluster named '" + name + "'"));
      } else if (!seen.add(name)) {
        out.add(new Violation(at, "cluster '" + name + "' is named twice"));
      } else if (selected != null && !selected.contains(name)) {
        out.add(new Violation(at, "cluster '" + name + "' is not selected by fleet.spec.selector"));
      }
    }
  }

  private static boolean quantity(String at, RolloutQuantity q, List<Violation> out) {
    if (q == null) {
      return true;
    }
    q.problem().ifPresent(p -> out.add(new Violation(at, p)));
    return q.problem().isEmpty();
  }
}
