package io.stackpilot.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The store topic's record format, modelled on Confluent's KafkaStore: JSON keys and values, one
 * key per subject version and per config scope, so compaction keeps the latest state of each.
 */
final class StoreRecords {

  static final String SCHEMA = "SCHEMA";
  static final String CONFIG = "CONFIG";
  static final String NOOP = "NOOP";
  static final String DELETE_SUBJECT = "DELETE_SUBJECT";

  // Keys must serialize to the same bytes every time, or compaction would keep duplicates.
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private StoreRecords() {}

  /** The record key; {@code subject} null with CONFIG means the global config. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"keytype", "subject", "version", "magic"})
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Key(
      @JsonProperty("keytype") String keytype,
      @JsonProperty("subject") String subject,
      @JsonProperty("version") Integer version,
      @JsonProperty("magic") int magic) {

    static Key schema(String subject, int version) {
      return new Key(SCHEMA, subject, version, 1);
    }

    static Key config(String subject) {
      return new Key(CONFIG, subject, null, 0);
    }

    static Key noop() {
      return new Key(NOOP, null, null, 0);
    }
  }

  /** One subject version; {@code deleted} marks a soft delete. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"subject", "version", "id", "schema", "schemaType", "deleted"})
  @JsonIgnoreProperties(ignoreUnknown = true)
  record SchemaValue(
      @JsonProperty("subject") String subject,
      @JsonProperty("version") int version,
      @JsonProperty("id") int id,
      @JsonProperty("schema") String schema,
      @JsonProperty("schemaType") String schemaType,
      @JsonProperty("deleted") boolean deleted) {}

  /** A compatibility level for the global or one subject's scope. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ConfigValue(@JsonProperty("compatibilityLevel") String compatibilityLevel) {}

  /** Confluent's marker that versions up to {@code version} of a subject were deleted. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record DeleteSubjectValue(
      @JsonProperty("subject") String subject, @JsonProperty("version") int version) {}

  static byte[] write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode store record " + value, e);
    }
  }

  static <T> T read(byte[] bytes, Class<T> type) throws IOException {
    return JSON.readValue(bytes, type);
  }
}
