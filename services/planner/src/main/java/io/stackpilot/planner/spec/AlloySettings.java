package io.stackpilot.planner.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Alloy's typed section: an agent (DaemonSet, one pod per node: pod logs, node-local scrapes) or a
 * gateway (Deployment: a stable OTLP endpoint on 4317/4318 and a Faro receiver), and where it
 * writes each signal.
 */
public record AlloySettings(Mode mode, Otlp otlp, Faro faro, List<StackSpec.Write> writes) {

  public List<StackSpec.Write> writesOrEmpty() {
    return writes == null ? List.of() : writes;
  }

  /** Agent or gateway. */
  public enum Mode {
    AGENT("agent"),
    GATEWAY("gateway");

    private final String yamlName;

    Mode(String yamlName) {
      this.yamlName = yamlName;
    }

    @JsonValue
    public String yamlName() {
      return yamlName;
    }

    @JsonCreator
    public static Mode of(String name) {
      return YamlNames.of(Mode.class, name, Mode::yamlName);
    }
  }

  /** The OTLP receiver: gRPC (4317) and HTTP (4318) ports. */
  public record Otlp(Integer grpcPort, Integer httpPort) {}

  /** The Faro receiver for browser telemetry (seed 004: 12347, {@code /api/faro/receiver}). */
  public record Faro(Integer port) {}
}
