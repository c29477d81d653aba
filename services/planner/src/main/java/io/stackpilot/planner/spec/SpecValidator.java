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
    validateFleet(declared.fleet(), declared.stack(), violations);
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

  private void validateFleet(FleetSpec fleet, StackSpec stack, List<Violation> out) {
    Set<String> components = null;
    if (stack.spec() != null && stack.spec().components() != null) {
      components = new HashSet<>();
      for (StackSpec.Component c : stack.spec().components()) {
        components.add(c.name());
      }
    }
    new FleetValidator(components).validate(fleet, out);
  }

  static void dnsLabel(String field, String value, List<Violation> out) {
    if (blank(value)) {
      out.add(new Violation(field, "required"));
    } else if (!DNS_LABEL.matcher(value).matches()) {
      out.add(
          new Violation(field, "must be a DNS label (lower case, digits, '-'): '" + value + "'"));
    }
  }

  static void required(String field, String value, List<Violation> out) {
    if (blank(value)) {
      out.add(new Violation(field, "required"));
    }
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
