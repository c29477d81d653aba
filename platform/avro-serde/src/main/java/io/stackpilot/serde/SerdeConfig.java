package io.stackpilot.serde;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/** Reads Confluent's serde property names, so these classes drop in for Confluent's. */
final class SerdeConfig {

  static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  // Confluent also accepts the registry-prefixed spelling (used by Kafka Connect workers).
  static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

  private SerdeConfig() {}

  static SchemaRegistryClient client(Map<String, ?> configs) {
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    String joined =
        url instanceof Collection<?> list
            ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
            : url == null ? null : String.valueOf(url);
    if (joined == null || joined.isBlank()) {
      throw new ConfigException(
          "Missing required configuration \""
              + SCHEMA_REGISTRY_URL
              + "\": the Confluent-compatible schema registry URL, e.g. http://localhost:8081");
    }
    Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
    if (userInfo == null) {
      userInfo = configs.get(PREFIXED_BASIC_AUTH_USER_INFO);
    }
    try {
      return new SchemaRegistryClient(joined, userInfo == null ? null : credentials(userInfo));
    } catch (IllegalArgumentException e) {
      // The value itself is not echoed: it may hold credentials; the message is already redacted.
      throw new ConfigException(SCHEMA_REGISTRY_URL + ": " + e.getMessage());
    }
  }

  static boolean bool(Map<String, ?> configs, String name, boolean defaultValue) {
    Object value = configs.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim();
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigException(name, value, "expected true or false");
  }

  private static String credentials(Object value) {
    // Kafka may hand over a Password type; its toString() hides the value, value() does not.
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return String.valueOf(value);
  }
}
