package io.stackpilot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The producer settings every rung shares, and a check that a rung's producer really has them. */
final class ProducerSettings {

  /** The settings under test, identical for every rung (printed in the header). */
  static final Map<String, Object> COMMON = common();

  /** Settings that differ per rung by design: who the client is and how it serializes. */
  private static final List<String> PER_RUNG =
      List.of(
          ProducerConfig.CLIENT_ID_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  private ProducerSettings() {}

  private static Map<String, Object> common() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    settings.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    return Map.copyOf(settings);
  }

  /** The plain-client configuration of rungs 1-3. */
  static Map<String, Object> forClient(
      String bootstrapServers, String clientId, Class<?> keySerializer, Class<?> valueSerializer) {
    Map<String, Object> config = new LinkedHashMap<>(COMMON);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, keySerializer);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer);
    return config;
  }

  static String describeCommon() {
    return String.join(
        ", ", new TreeMap<>(COMMON).entrySet().stream().map(Object::toString).toList());
  }

  /**
   * Every producer setting (Kafka's defaults applied) whose effective value differs from the
   * reference producer's, ignoring the per-rung ones (client id, bootstrap, serializers).
   */
  static List<String> differences(Map<String, ?> reference, Map<String, ?> candidate) {
    Map<String, ?> expected = effective(reference);
    Map<String, ?> actual = effective(candidate);
    List<String> differences = new ArrayList<>();
    for (String key : new TreeMap<>(expected).keySet()) {
      if (PER_RUNG.contains(key)) {
        continue;
      }
      if (!Objects.equals(String.valueOf(expected.get(key)), String.valueOf(actual.get(key)))) {
        differences.add(key + "=" + actual.get(key) + " (raw: " + expected.get(key) + ")");
      }
    }
    return differences;
  }

  /** The watched settings as the producer resolves them, e.g. {@code acks=-1, linger.ms=5}. */
  static String watched(Map<String, ?> config) {
    Map<String, ?> effective = effective(config);
    List<String> parts = new ArrayList<>();
    for (String key : new TreeMap<>(COMMON).keySet()) {
      parts.add(key + "=" + effective.get(key));
    }
    return String.join(", ", parts);
  }

  private static Map<String, ?> effective(Map<String, ?> config) {
    Map<String, Object> copy = new LinkedHashMap<>(config);
    // Serializers are irrelevant to the comparison but required to build a ProducerConfig.
    copy.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    copy.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new ProducerConfig(copy).values();
  }
}
