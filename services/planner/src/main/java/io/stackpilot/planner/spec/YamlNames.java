package io.stackpilot.planner.spec;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Enums spelt in YAML as lower-case words: lookup by that name, naming the choices on a miss. */
final class YamlNames {
  private YamlNames() {}

  static <E extends Enum<E>> E of(Class<E> type, String name, Function<E, String> yamlName) {
    E[] values = type.getEnumConstants();
    return Arrays.stream(values)
        .filter(v -> yamlName.apply(v).equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown value '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values).map(yamlName).collect(Collectors.joining(", "))));
  }
}
