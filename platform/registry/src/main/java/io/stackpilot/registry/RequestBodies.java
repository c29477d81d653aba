package io.stackpilot.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

/**
 * Reads request bodies by hand rather than through Spring's binding, so that any content type is
 * accepted (as Confluent clients and curl send several) and every mistake gets a Confluent error.
 */
final class RequestBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestBodies() {}

  /** The Avro schema in a {"schema": "...", "schemaType": ..., "references": [...]} body. */
  static Schema schema(String body) {
    JsonNode json = object(body);
    JsonNode type = json.get("schemaType");
    if (type != null && !type.isNull() && !type.asText().equalsIgnoreCase("AVRO")) {
      throw RegistryError.INVALID_SCHEMA.exception(
          "Unsupported schemaType '" + type.asText() + "': this registry supports only AVRO");
    }
    JsonNode references = json.get("references");
    if (references != null && !references.isNull() && !references.isEmpty()) {
      throw RegistryError.INVALID_SCHEMA.exception(
          "Schema references are not supported by this registry; inline the referenced types");
    }
    JsonNode schema = json.get("schema");
    if (schema == null || schema.isNull()) {
      throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: the 'schema' field is missing");
    }
    if (!schema.isTextual()) {
      throw RegistryError.INVALID_SCHEMA.exception(
          "Invalid schema: 'schema' must be a string holding the Avro schema's JSON");
    }
    try {
      // A fresh parser: parsers remember named types and would reject a second definition.
      return new Schema.Parser().parse(schema.asText());
    } catch (RuntimeException e) {
      // SchemaParseException, AvroTypeException for bad defaults, and the odd NPE on odd input.
      throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: " + e.getMessage(), e);
    }
  }

  /** The level in a {"compatibility": "..."} body; null when absent (answered as invalid). */
  static String compatibility(String body) {
    JsonNode level = object(body).get("compatibility");
    return level == null || level.isNull() ? null : level.asText();
  }

  private static JsonNode object(String body) {
    if (body == null || body.isBlank()) {
      throw RegistryError.MALFORMED_REQUEST.exception(
          "Request body is empty; expected a JSON object");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw RegistryError.MALFORMED_REQUEST.exception(
          "Malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw RegistryError.MALFORMED_REQUEST.exception("Expected a JSON object as request body");
    }
    return json;
  }
}
