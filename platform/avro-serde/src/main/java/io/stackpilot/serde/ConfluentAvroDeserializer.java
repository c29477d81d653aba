package io.stackpilot.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format, fetching writer schemas by id from the registry.
 *
 * <p>Properties: {@code schema.registry.url} (required), {@code specific.avro.reader} (default
 * false: GenericRecord; true: the generated class named by the writer schema, read with that
 * class's schema so records from older writers resolve), {@code basic.auth.user.info}. Thread-safe.
 */
public class ConfluentAvroDeserializer implements Deserializer<Object> {

  public static final String SCHEMA_REGISTRY_URL_CONFIG = SerdeConfig.SCHEMA_REGISTRY_URL;
  public static final String SPECIFIC_AVRO_READER_CONFIG = SerdeConfig.SPECIFIC_AVRO_READER;
  public static final String BASIC_AUTH_USER_INFO_CONFIG = SerdeConfig.BASIC_AUTH_USER_INFO;

  private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private boolean specific;

  /** For Kafka, which instantiates deserializers by class name and then calls configure. */
  public ConfluentAvroDeserializer() {}

  /**
   * A deserializer of this registry that reads values into the generated (specific) classes: what
   * every Stackpilot reader of the catalog topics uses.
   */
  public static ConfluentAvroDeserializer specific(String registryUrl) {
    ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer();
    decoder.configure(
        Map.of(SCHEMA_REGISTRY_URL_CONFIG, registryUrl, SPECIFIC_AVRO_READER_CONFIG, true), false);
    return decoder;
  }

  /** With a shared client; {@link #configure} then only reads the other properties. */
  public ConfluentAvroDeserializer(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = SerdeConfig.client(configs);
    }
    specific = SerdeConfig.bool(configs, SPECIFIC_AVRO_READER_CONFIG, false);
    readers.clear();
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new SerializationException(
          "ConfluentAvroDeserializer is not configured: set " + SCHEMA_REGISTRY_URL_CONFIG);
    }
    int id;
    try {
      id = WireFormat.schemaId(data);
    } catch (SerializationException e) {
      throw failure(topic, e.getMessage(), e);
    }
    DatumReader<Object> reader = readers.get(id);
    if (reader == null) {
      reader = newReader(topic, id);
      readers.putIfAbsent(id, reader);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, DECODERS.get());
    DECODERS.set(decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw failure(
          topic,
          "cannot decode Avro payload of "
              + (data.length - WireFormat.HEADER_SIZE)
              + " bytes with schema id "
              + id
              + ": "
              + e,
          e);
    }
  }

  private DatumReader<Object> newReader(String topic, int id) {
    Schema writer;
    try {
      writer = client.getById(id);
    } catch (SchemaRegistryException e) {
      String reason =
          e.errorCode() == 40403 || e.httpStatus() == 404
              ? "schema id "
                  + id
                  + " not found in registry "
                  + client.url()
                  + " ("
                  + e.errorCode()
                  + ")"
              : "cannot fetch schema id "
                  + id
                  + " from registry "
                  + client.url()
                  + ": "
                  + e.getMessage();
      throw failure(topic, reason, e);
    }
    if (specific && writer.getType() == Schema.Type.RECORD) {
      Class<?> type = specificClass(topic, id, writer);
      SpecificData model = SpecificData.getForClass(type);
      return new SpecificDatumReader<>(writer, model.getSchema(type), model);
    }
    // Confluent's generic reader uses the writer's schema as the reader's.
    return new GenericDatumReader<>(writer, writer, GenericData.get());
  }

  private static Class<?> specificClass(String topic, int id, Schema writer) {
    Class<?> type;
    try {
      type = SpecificData.get().getClass(writer);
      if (type == null) {
        type = new SpecificData(Thread.currentThread().getContextClassLoader()).getClass(writer);
      }
    } catch (SecurityException e) {
      throw failure(
          topic,
          "class "
              + writer.getFullName()
              + " (schema id "
              + id
              + ") is not trusted by Avro: add its package to the system property"
              + " org.apache.avro.SERIALIZABLE_PACKAGES",
          e);
    }
    if (type == null) {
      throw failure(
          topic,
          "no class "
              + writer.getFullName()
              + " for schema id "
              + id
              + " on the classpath; generate it or set specific.avro.reader=false",
          null);
    }
    return type;
  }

  private static SerializationException failure(String topic, String reason, Throwable cause) {
    return new SerializationException(
        "Cannot deserialize Avro record from topic '" + topic + "': " + reason, cause);
  }

  @Override
  public void close() {
    // Nothing to release: the HTTP client has no connections to close explicitly.
  }
}
