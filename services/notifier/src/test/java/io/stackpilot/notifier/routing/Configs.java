package io.stackpilot.notifier.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Test helpers: routing files from test resources, label sets. */
final class Configs {

  private Configs() {}

  static String resource(String name) {
    try (InputStream in = Configs.class.getResourceAsStream("/routing/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource routing/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RoutingConfig load(String name) {
    return RoutingConfigLoader.load(resource(name));
  }

  static Map<String, String> labels(String... kv) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
