package io.stackpilot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import io.stackpilot.serde.SchemaRegistryClient;
import io.stackpilot.serde.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the serde and the registry work together through a real broker, as Confluent's do. */
class SerdeRoundTripIT {

  private static final Schema V1 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"it\",\"fields\":"
                  + "[{\"name\":\"sensor\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"}]}");
  private static final Schema V2 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"it\",\"fields\":"
                  + "[{\"name\":\"sensor\",\"type\":\"string\"},{\"name\":\"value\",\"type\":\"double\"},"
                  + "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"celsius\"}]}");

  private static EmbeddedRegistry registry;

  @BeforeAll
  static void start() {
    registry = EmbeddedRegistry.start("_schemas");
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void genericRecordsRoundTripAndOldDataResolvesToTheNewSchema() throws Exception {
    String topic = "readings";
    try (KafkaProducer<String, Object> producer = producer(Map.of())) {
      producer.send(new ProducerRecord<>(topic, "s1", reading(V1, "s1", 20.5))).get();
      GenericRecord v2 = reading(V2, "s2", 70.0);
      v2.put("unit", "fahrenheit");
      producer.send(new ProducerRecord<>(topic, "s2", v2)).get();
    }

    List<ConsumerRecord<String, Object>> decoded = consume(topic, avroConsumer(), 2);
    assertThat(decoded.get(0).value()).hasToString("{\"sensor\": \"s1\", \"value\": 20.5}");
    assertThat(decoded.get(1).value())
        .hasToString("{\"sensor\": \"s2\", \"value\": 70.0, \"unit\": \"fahrenheit\"}");

    // A v2 reader resolves v1 data through the writer schema the id points to.
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    List<ConsumerRecord<String, byte[]>> raw = consume(topic, rawConsumer(), 2);
    byte[] first = raw.get(0).value();
    int id = WireFormat.schemaId(first);
    assertThat(id).isEqualTo(client.lookupId("readings-value", V1));
    assertThat(client.latest("readings-value").schema()).isEqualTo(V2);
    GenericRecord resolved =
        new GenericDatumReader<GenericRecord>(client.getById(id), V2)
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(
                        first,
                        WireFormat.HEADER_SIZE,
                        first.length - WireFormat.HEADER_SIZE,
                        null));
    assertThat(resolved)
        .hasToString("{\"sensor\": \"s1\", \"value\": 20.5, \"unit\": \"celsius\"}");
  }

  @Test
  void keysUseTheKeySubjectAndLookupOnlyModeRefusesUnknownSchemas() throws Exception {
    ConfluentAvroSerializer keys = new ConfluentAvroSerializer();
    keys.configure(Map.of("schema.registry.url", registry.url()), true);
    keys.serialize("keyed", reading(V1, "k", 1));
    assertThat(registry.http.get("/subjects/keyed-key/versions").body()).isEqualTo("[1]");

    ConfluentAvroSerializer lookupOnly = new ConfluentAvroSerializer();
    lookupOnly.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", false), false);
    assertThatThrownBy(() -> lookupOnly.serialize("unregistered", reading(V1, "x", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unregistered-value")
        .hasMessageContaining("40401");
  }

  @Test
  void unknownIdsAndGarbageFailWithTheirReason() throws Exception {
    ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();
    deserializer.configure(Map.of("schema.registry.url", registry.url()), false);

    assertThatThrownBy(
            () -> deserializer.deserialize("readings", WireFormat.frame(12345, new byte[] {2})))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'readings'")
        .hasMessageContaining(
            "schema id 12345 not found in registry " + registry.url() + " (40403)");

    String topic = "garbage";
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, registry.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, "{\"not\":\"avro\"}".getBytes())).get();
    }
    try (KafkaConsumer<String, Object> consumer = avroConsumer()) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(200)))
                      .isInstanceOf(RecordDeserializationException.class)
                      .cause()
                      .hasMessageContaining("topic 'garbage'")
                      .hasMessageContaining("Unknown magic byte 0x7b"));
    }
    assertThatThrownBy(
            () -> deserializer.deserialize("readings", Arrays.copyOf(new byte[] {0, 0}, 2)))
        .hasMessageContaining("record too short");
  }

  private static GenericRecord reading(Schema schema, String sensor, double value) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("sensor", sensor);
    record.put("value", value);
    return record;
  }

  private static KafkaProducer<String, Object> producer(Map<String, Object> extra) {
    Map<String, Object> config = new java.util.HashMap<>(extra);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, registry.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class);
    config.put("schema.registry.url", registry.url());
    return new KafkaProducer<>(config);
  }

  private static KafkaConsumer<String, Object> avroConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            registry.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConfluentAvroDeserializer.class,
            "schema.registry.url",
            registry.url()));
  }

  private static KafkaConsumer<String, byte[]> rawConsumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            registry.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  private static <V> List<ConsumerRecord<String, V>> consume(
      String topic, KafkaConsumer<String, V> consumer, int count) {
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (consumer) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).hasSize(count);
              });
    }
    return records;
  }
}
