package io.stackpilot.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The JSON shapes of Confluent's API, one record per shape. */
final class ApiResponses {

  private ApiResponses() {}

  record RegisteredId(int id) {}

  record SubjectVersionSchema(String subject, int version, int id, String schema) {
    static SubjectVersionSchema of(SchemaVersion v) {
      return new SubjectVersionSchema(v.subject(), v.version(), v.id(), v.schema());
    }
  }

  record SchemaString(String schema) {}

  record SubjectVersion(String subject, int version) {}

  record CompatibilityUpdate(String compatibility) {}

  record CompatibilityLevelAnswer(String compatibilityLevel) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CompatibilityAnswer(
      @JsonProperty("is_compatible") boolean compatible,
      @JsonProperty("messages") List<String> messages) {}

  record Error(@JsonProperty("error_code") int errorCode, String message) {}

  record Mode(String mode) {}
}
