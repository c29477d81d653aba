package io.stackpilot.planner.spec;

import io.stackpilot.planner.spec.SpecException.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Required fields and references between them; every violation names its field. */
public final class SpecValidator {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public void validate(SpecParser.Declared declared) {
    List<Violation> violations = new ArrayList<>();
    validateStack(declared.stack(), violations);
    validateFleet(declared.fleet(), violations);
    if (!violations.isEmpty()) {
      throw new SpecException(violations);
    }
  }

  private void validateStack(StackSpec stack, List<Violation> out) {
    if (stack.metadata() == null || blank(stack.metadata().name())) {
      out.add(new Violation("stack.metadata.name", "required"));
    }
    if (stack.spec() == null || stack.spec().components() == null) {
      out.add(new Violation("stack.spec.components", "required"));
      return;
    }
    List<StackSpec.Component> components = stack.spec().components();
    if (components.isEmpty()) {
      out.add(new Violation("stack.spec.components", "must name at least one component"));
    }
    Set<String> names = new HashSet<>();
    components.forEach(c -> names.add(c.name()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < components.size(); i++) {
      StackSpec.Component c = components.get(i);
      String at = "stack.spec.components[" + i + "]";
      dnsLabel(at + ".name", c.name(), out);
      dnsLabel(at + ".namespace", c.namespace(), out);
      if (c.type() == null) {
        out.add(new Violation(at + ".type", "required (kube-prometheus-stack, loki, tempo, ...)"));
      }
      if (c.name() != null && !seen.add(c.name())) {
        out.add(new Violation(at + ".name", "duplicate component '" + c.name() + "'"));
      }
      if (c.chart() == null) {
        out.add(new Violation(at + ".chart", "required"));
      } else {
        required(at + ".chart.repository", c.chart().repository(), out);
        required(at + ".chart.name", c.chart().name(), out);
        required(at + ".chart.version", c.chart().version(), out);
      }
      List<String> deps = c.dependsOnOrEmpty();
      for (int d = 0; d < deps.size(); d++) {
        if (!names.contains(deps.get(d))) {
          out.add(
              new Violation(
                  at + ".dependsOn[" + d + "]", "no component named '" + deps.get(d) + "'"));
        }
      }
    }
  }

  private void validateFleet(FleetSpec fleet, List<Violation> out) {
    if (fleet.metadata() == null || blank(fleet.metadata().name())) {
      out.add(new Violation("fleet.metadata.name", "required"));
    }
    if (fleet.spec() == null || fleet.spec().clusters() == null) {
      out.add(new Violation("fleet.spec.clusters", "required"));
      return;
    }
    Set<String> clusters = new HashSet<>();
    List<FleetSpec.Cluster> list = fleet.spec().clusters();
    for (int i = 0; i < list.size(); i++) {
      FleetSpec.Cluster c = list.get(i);
      String at = "fleet.spec.clusters[" + i + "]";
      dnsLabel(at + ".name", c.name(), out);
      required(at + ".tenant", c.tenant(), out);
      if (c.name() != null && !clusters.add(c.name())) {
        out.add(new Violation(at + ".name", "duplicate cluster '" + c.name() + "'"));
      }
    }
    FleetSpec.Rollout rollout = fleet.spec().rollout();
    if (rollout != null) {
      List<String> canary = rollout.canary() == null ? List.of() : rollout.canary();
      for (int i = 0; i < canary.size(); i++) {
        if (!clusters.contains(canary.get(i))) {
          out.add(
              new Violation(
                  "fleet.spec.rollout.canary[" + i + "]",
                  "no cluster named '" + canary.get(i) + "'"));
        }
      }
      if (rollout.batchSize() != null && rollout.batchSize() < 1) {
        out.add(new Violation("fleet.spec.rollout.batchSize", "must be at least 1"));
      }
      if (rollout.soakSeconds() != null && rollout.soakSeconds() < 0) {
        out.add(new Violation("fleet.spec.rollout.soakSeconds", "must not be negative"));
      }
    }
  }

  private static void dnsLabel(String field, String value, List<Violation> out) {
    if (blank(value)) {
      out.add(new Violation(field, "required"));
    } else if (!DNS_LABEL.matcher(value).matches()) {
      out.add(
          new Violation(field, "must be a DNS label (lower case, digits, '-'): '" + value + "'"));
    }
  }

  private static void required(String field, String value, List<Violation> out) {
    if (blank(value)) {
      out.add(new Violation(field, "required"));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
