package io.stackpilot.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

  private static final Schema PING =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"t\",\"fields\":"
                  + "[{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"s\",\"type\":\"string\"}]}");
  private static final Schema SPECIFIC_PING_V1 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"SpecificPing\",\"namespace\":\"io.stackpilot.serde\","
                  + "\"fields\":[{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"s\",\"type\":\"string\"}]}");

  private final FakeRegistry registry = new FakeRegistry(7);
  private final SchemaRegistryClient client =
      new SchemaRegistryClient("http://registry:8081", null, registry);

  @Test
  void goldenBytesMatchTheConfluentWireFormat() {
    byte[] bytes = serializer(Map.of()).serialize("pings", ping(1, "hi"));

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00" + "00000007" + "02" + "04" + "6869");
  }

  @Test
  void payloadIsPlainAvroBinaryAfterTheHeader() throws Exception {
    GenericRecord record = ping(-123_456_789_012L, "ünïcödé".repeat(50));

    byte[] framed = serializer(Map.of()).serialize("pings", record);

    assertThat(framed).isEqualTo(WireFormat.frame(7, rawAvro(record)));
  }

  @Test
  void registersUnderTopicNameStrategySubjects() {
    ConfluentAvroSerializer keys = new ConfluentAvroSerializer(client);
    keys.configure(Map.of(), true);

    keys.serialize("orders", ping(1, "k"));
    serializer(Map.of()).serialize("orders", ping(1, "v"));

    assertThat(registry.calls)
        .extracting(call -> call.uri().getPath())
        .containsExactly("/subjects/orders-key/versions", "/subjects/orders-value/versions");
  }

  @Test
  void withoutAutoRegisterOnlyLooksUp() {
    ConfluentAvroSerializer serializer = serializer(Map.of("auto.register.schemas", "false"));

    assertThatThrownBy(() -> serializer.serialize("orders", ping(1, "x")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot look up Avro schema t.Ping under subject 'orders-value'")
        .hasMessageContaining("40401");

    int id = registry.preRegister("orders-value", PING);
    assertThat(WireFormat.schemaId(serializer.serialize("orders", ping(1, "x")))).isEqualTo(id);
    assertThat(registry.calls)
        .allMatch(call -> call.uri().getPath().equals("/subjects/orders-value"));
  }

  @Test
  void nullStaysNullAndNonAvroIsRefused() {
    assertThat(serializer(Map.of()).serialize("t", null)).isNull();
    assertThat(deserializer(Map.of()).deserialize("t", null)).isNull();
    assertThatThrownBy(() -> serializer(Map.of()).serialize("t", "plain string"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void aMissingRegistryUrlIsAConfigError() {
    assertThatThrownBy(() -> new ConfluentAvroSerializer().configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> new ConfluentAvroDeserializer().configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                new ConfluentAvroSerializer()
                    .configure(
                        Map.of("schema.registry.url", "x", "auto.register.schemas", "yes"), false))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void genericRoundTrip() {
    byte[] bytes = serializer(Map.of()).serialize("pings", ping(5, "five"));

    Object read = deserializer(Map.of()).deserialize("pings", bytes);

    assertThat(read).isInstanceOf(GenericRecord.class).hasToString("{\"n\": 5, \"s\": \"five\"}");
  }

  @Test
  void specificReaderResolvesOldWritersWithTheClassSchema() {
    byte[] v1 = serializer(Map.of()).serialize("pings", record(SPECIFIC_PING_V1, 3, "old"));
    byte[] v2 = serializer(Map.of()).serialize("pings", new SpecificPing(4, "new", "t"));
    ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            before, ClassSecurityValidator.builder().add(SpecificPing.class).build()));
    try {
      ConfluentAvroDeserializer deserializer = deserializer(Map.of("specific.avro.reader", true));

      SpecificPing old = (SpecificPing) deserializer.deserialize("pings", v1);
      SpecificPing current = (SpecificPing) deserializer.deserialize("pings", v2);

      assertThat(old.n).isEqualTo(3);
      assertThat(old.tag).hasToString("none");
      assertThat(current.tag).hasToString("t");
    } finally {
      ClassSecurityValidator.setGlobal(before);
    }
  }

  @Test
  void specificReaderExplainsUntrustedAndMissingClasses() {
    byte[] specific = serializer(Map.of()).serialize("pings", new UntrustedPing());
    byte[] noClass = serializer(Map.of()).serialize("pings", ping(1, "x"));
    ConfluentAvroDeserializer deserializer = deserializer(Map.of("specific.avro.reader", "true"));

    assertThatThrownBy(() -> deserializer.deserialize("pings", specific))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("org.apache.avro.SERIALIZABLE_PACKAGES");
    assertThatThrownBy(() -> deserializer.deserialize("pings", noClass))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("no class t.Ping for schema id");
  }

  @Test
  void garbageAndUnknownIdsFailWithTheirReason() {
    ConfluentAvroDeserializer deserializer = deserializer(Map.of());

    assertThatThrownBy(() -> deserializer.deserialize("pings", "{\"n\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'pings'")
        .hasMessageContaining("Unknown magic byte 0x7b");
    assertThatThrownBy(() -> deserializer.deserialize("pings", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("record too short");
    assertThatThrownBy(
            () -> deserializer.deserialize("pings", WireFormat.frame(12345, new byte[1])))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 12345 not found in registry http://registry:8081 (40403)");
    byte[] truncated = serializer(Map.of()).serialize("pings", ping(1, "hello"));
    assertThatThrownBy(
            () -> deserializer.deserialize("pings", java.util.Arrays.copyOf(truncated, 8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 7");
  }

  @Test
  void reusedBuffersNeverLeakBytesBetweenRecords() {
    ConfluentAvroSerializer serializer = serializer(Map.of());
    ConfluentAvroDeserializer deserializer = deserializer(Map.of());
    // Big, small, huge (beyond the retained-buffer limit), small again on one thread.
    for (int size : new int[] {5000, 1, 2_000_000, 0, 300}) {
      GenericRecord record = ping(size, "x".repeat(size));
      byte[] bytes = serializer.serialize("pings", record);
      assertThat(bytes).isEqualTo(WireFormat.frame(7, rawAvro(record)));
      assertThat(deserializer.deserialize("pings", bytes)).isEqualTo(record);
    }
  }

  @Test
  void isSafeToShareAcrossThreads() throws Exception {
    ConfluentAvroSerializer serializer = serializer(Map.of());
    ConfluentAvroDeserializer deserializer = deserializer(Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        tasks.add(
            () -> {
              for (int i = 0; i < 500; i++) {
                GenericRecord record = ping(i, thread + ":" + "y".repeat(i % 97));
                if (!deserializer
                    .deserialize("pings", serializer.serialize("pings", record))
                    .equals(record)) {
                  return false;
                }
              }
              return true;
            });
      }
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private ConfluentAvroSerializer serializer(Map<String, Object> configs) {
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client);
    serializer.configure(configs, false);
    return serializer;
  }

  private ConfluentAvroDeserializer deserializer(Map<String, Object> configs) {
    ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(client);
    deserializer.configure(configs, false);
    return deserializer;
  }

  private static GenericRecord ping(long n, String s) {
    return record(PING, n, s);
  }

  private static GenericRecord record(Schema schema, long n, String s) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("n", n);
    record.put("s", s);
    return record;
  }

  private static byte[] rawAvro(GenericRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
