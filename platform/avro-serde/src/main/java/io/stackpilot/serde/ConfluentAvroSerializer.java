package io.stackpilot.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, byte-identical to Confluent's
 * KafkaAvroSerializer, registering (or looking up) the record's schema under {@code <topic>-value}
 * / {@code <topic>-key}.
 *
 * <p>Properties: {@code schema.registry.url} (required), {@code auto.register.schemas} (default
 * true), {@code basic.auth.user.info}. Accepts SpecificRecord, GenericRecord and other Avro
 * containers (enums, fixed, arrays); null stays null. Thread-safe.
 */
public class ConfluentAvroSerializer implements Serializer<Object> {

  public static final String SCHEMA_REGISTRY_URL_CONFIG = SerdeConfig.SCHEMA_REGISTRY_URL;
  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = SerdeConfig.AUTO_REGISTER_SCHEMAS;
  public static final String BASIC_AUTH_USER_INFO_CONFIG = SerdeConfig.BASIC_AUTH_USER_INFO;

  private static final ThreadLocal<EncodeBuffer> BUFFERS =
      ThreadLocal.withInitial(EncodeBuffer::new);

  private final Map<String, String> subjectsByTopic = new ConcurrentHashMap<>();
  // Keyed by class for specific records (their MODEL$ carries conversions), by schema otherwise.
  private final Map<Object, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private boolean autoRegister = true;
  private String subjectSuffix = "-value";

  /** For Kafka, which instantiates serializers by class name and then calls configure. */
  public ConfluentAvroSerializer() {}

  /** With a shared client; {@link #configure} then only reads the other properties. */
  public ConfluentAvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = SerdeConfig.client(configs);
    }
    autoRegister = SerdeConfig.bool(configs, AUTO_REGISTER_SCHEMAS_CONFIG, true);
    subjectSuffix = isKey ? "-key" : "-value";
    subjectsByTopic.clear();
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new SerializationException(
          "ConfluentAvroSerializer is not configured: set " + SCHEMA_REGISTRY_URL_CONFIG);
    }
    if (!(data instanceof GenericContainer container)) {
      throw new SerializationException(
          "ConfluentAvroSerializer writes Avro records (SpecificRecord, GenericRecord); got "
              + data.getClass().getName()
              + " for topic '"
              + topic
              + "'");
    }
    Schema schema = container.getSchema();
    int id = schemaId(topic, schema);
    Object key = writerKey(data, schema);
    DatumWriter<Object> writer = writers.get(key);
    if (writer == null) {
      // get() first: computeIfAbsent would allocate a capturing lambda on every record.
      writer = writers.computeIfAbsent(key, k -> newWriter(data, schema));
    }
    try {
      return BUFFERS.get().frame(id, writer, data);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode Avro record "
              + schema.getFullName()
              + " (schema id "
              + id
              + ") for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private int schemaId(String topic, Schema schema) {
    String topicName = String.valueOf(topic);
    String subject = subjectsByTopic.get(topicName);
    if (subject == null) {
      subject = subjectsByTopic.computeIfAbsent(topicName, t -> t + subjectSuffix);
    }
    try {
      return autoRegister ? client.register(subject, schema) : client.lookupId(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          (autoRegister ? "Cannot register" : "Cannot look up")
              + " Avro schema "
              + schema.getFullName()
              + " under subject '"
              + subject
              + "' for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private static Object writerKey(Object data, Schema schema) {
    return data instanceof SpecificRecord ? data.getClass() : schema;
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> newWriter(Object data, Schema schema) {
    if (data instanceof SpecificRecord) {
      // getForClass reads the class's own model; getForSchema would load the class by name.
      return new SpecificDatumWriter<>(schema, SpecificData.getForClass(data.getClass()));
    }
    return new GenericDatumWriter<>(schema, GenericData.get());
  }

  @Override
  public void close() {
    // Nothing to release: the HTTP client has no connections to close explicitly.
  }
}
