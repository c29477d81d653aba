package io.stackpilot.planner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Loki's typed section: its deployment mode (the chart's {@code deploymentMode}). */
public record LokiSettings(Mode mode) {

  /** Seeds 002-004 run single-binary; seed 000/001 run backend/write targets (simple-scalable). */
  public enum Mode {
    SINGLE_BINARY("single-binary", "SingleBinary"),
    SIMPLE_SCALABLE("simple-scalable", "SimpleScalable"),
    DISTRIBUTED("distributed", "Distributed");

    private final String yamlName;
    private final String chartValue;

    Mode(String yamlName, String chartValue) {
      this.yamlName = yamlName;
      this.chartValue = chartValue;
    }

    @JsonValue
    public String yamlName() {
      return yamlName;
    }

    /** The Loki chart's {@code deploymentMode} value for this mode. */
    public String chartValue() {
      return chartValue;
    }

    @JsonCreator
    public static Mode of(String name) {
      return YamlNames.of(Mode.class, name, Mode::yamlName);
    }
  }
}
