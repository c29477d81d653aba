package io.stackpilot.testing;

import io.stackpilot.serde.ConfluentAvroSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records to topics the way outside producers would: valid events and poison ones. */
public final class TestRecords {
  /** A schema id no registry has handed out. */
  public static final int UNKNOWN_SCHEMA_ID = 987_654;

  private TestRecords() {}

  /** Bytes that are not the Confluent wire format at all. */
  public static byte[] garbage() {
    return "this is not avro".getBytes(StandardCharsets.UTF_8);
  }

  /** The wire format with a schema id no registry knows. */
  public static byte[] unknownSchemaId() {
    return ByteBuffer.allocate(9).put((byte) 0).putInt(UNKNOWN_SCHEMA_ID).putInt(42).array();
  }

  public static void sendRaw(String bootstrap, String topic, String key, byte[] value) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props(bootstrap), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("send to " + topic + " failed", e);
    }
  }

  /** An event in the Confluent wire format, registered under TopicNameStrategy. */
  public static void sendEvent(
      String bootstrap, String registryUrl, String topic, String key, SpecificRecord event) {
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    sendRaw(bootstrap, topic, key, serializer.serialize(topic, event));
    serializer.close();
  }

  private static Properties props(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }
}
