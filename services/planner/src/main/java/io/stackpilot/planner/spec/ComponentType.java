package io.stackpilot.planner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What a component is: decides its validation rules and its place in the dependency graph. */
public enum ComponentType {
  KUBE_PROMETHEUS_STACK("kube-prometheus-stack"),
  LOKI("loki"),
  TEMPO("tempo"),
  MIMIR("mimir"),
  THANOS("thanos"),
  PYROSCOPE("pyroscope"),
  GRAFANA("grafana"),
  ALLOY("alloy"),
  BLACKBOX_EXPORTER("blackbox-exporter"),
  SLOTH("sloth"),
  NTFY("ntfy"),
  /** Anything else: ordered only by its declared dependsOn. */
  OTHER("other");

  private final String yamlName;

  ComponentType(String yamlName) {
    this.yamlName = yamlName;
  }

  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  @JsonCreator
  public static ComponentType of(String name) {
    return Arrays.stream(values())
        .filter(t -> t.yamlName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown component type '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                            .map(ComponentType::yamlName)
                            .collect(Collectors.joining(", "))));
  }
}
