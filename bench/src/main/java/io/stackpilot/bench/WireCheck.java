package io.stackpilot.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads one record back from a rung's topic, to show what that rung really put on the wire. */
final class WireCheck {
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private WireCheck() {}

  static String describeFirstRecord(String bootstrapServers, String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          return describe(record);
        }
      }
      return "no record could be read back within " + PATIENCE.toSeconds() + " s";
    }
  }

  private static String describe(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    int headerBytes = 0;
    List<String> names = new ArrayList<>();
    for (Header header : record.headers()) {
      names.add(header.key());
      headerBytes +=
          header.key().getBytes(StandardCharsets.UTF_8).length
              + (header.value() == null ? 0 : header.value().length);
    }
    return String.format(
        "key %d B, value %d B (magic %d), %d headers %d B%s",
        record.key() == null ? 0 : record.key().length,
        value == null ? 0 : value.length,
        value == null || value.length == 0 ? -1 : value[0],
        names.size(),
        headerBytes,
        names.isEmpty() ? "" : " " + names);
  }
}
