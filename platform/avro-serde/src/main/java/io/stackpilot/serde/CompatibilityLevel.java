package io.stackpilot.serde;

import java.util.Locale;
import java.util.Optional;

/** A Confluent Schema Registry compatibility level: which direction, against which versions. */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** True when the new schema must read data written with older ones. */
  public boolean backward() {
    return backward;
  }

  /** True when older schemas must read data written with the new one. */
  public boolean forward() {
    return forward;
  }

  /** True when the check covers all previous versions, not only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /** Parses a level case-insensitively, as Confluent does; empty for unknown or null names. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
