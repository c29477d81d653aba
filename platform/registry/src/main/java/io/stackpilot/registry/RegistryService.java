package io.stackpilot.registry;

import io.stackpilot.registry.StoreRecords.ConfigValue;
import io.stackpilot.registry.StoreRecords.Key;
import io.stackpilot.registry.StoreRecords.SchemaValue;
import io.stackpilot.serde.AvroCompatibility;
import io.stackpilot.serde.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Confluent's registry semantics over {@link RegistryState}: reads answer from memory, writes go
 * through the store and are serialized by this single writer (ids are max + 1, so two writers would
 * need leader election, which is out of scope).
 */
final class RegistryService {

  private final RegistryState state;
  private final StoreWriter store;

  RegistryService(RegistryState state, StoreWriter store) {
    this.state = state;
    this.store = store;
  }

  /** Registers a schema under a subject, or returns its id if a live version already has it. */
  synchronized int register(String subject, Schema schema) {
    String canonical = schema.toString();
    for (SchemaVersion version : state.versions(subject, false)) {
      if (version.schema().equals(canonical)) {
        return version.id();
      }
    }
    CompatibilityLevel level = state.effectiveLevel(subject);
    List<String> problems = AvroCompatibility.check(level, schema, liveSchemas(subject));
    if (!problems.isEmpty()) {
      throw RegistryError.INCOMPATIBLE_SCHEMA.exception(
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\" (compatibility "
              + level
              + "), details: "
              + problems);
    }
    // The same schema keeps one global id across subjects, as in Confluent's registry.
    int id = state.idOf(canonical).orElseGet(() -> state.maxId() + 1);
    int version = state.maxVersion(subject) + 1;
    store.append(
        Key.schema(subject, version),
        new SchemaValue(subject, version, id, canonical, null, false));
    return id;
  }

  /** The version of a subject that holds this schema. */
  SchemaVersion lookup(String subject, Schema schema, boolean includeDeleted) {
    List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
    String canonical = schema.toString();
    return versions.stream()
        .filter(v -> v.schema().equals(canonical))
        .reduce((first, later) -> later)
        .orElseThrow(
            () ->
                RegistryError.SCHEMA_NOT_FOUND.exception(
                    "Schema not found under subject '" + subject + "'"));
  }

  String schemaById(int id) {
    return state
        .schema(id)
        .map(Schema::toString)
        .orElseThrow(() -> RegistryError.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found"));
  }

  List<SchemaVersion> usages(int id, boolean includeDeleted) {
    schemaById(id);
    return state.usages(id, includeDeleted);
  }

  List<String> subjects(boolean includeDeleted) {
    return state.subjects(includeDeleted);
  }

  List<Integer> versions(String subject, boolean includeDeleted) {
    return existingVersions(subject, includeDeleted).stream().map(SchemaVersion::version).toList();
  }

  SchemaVersion version(String subject, String version, boolean includeDeleted) {
    int number = VersionId.parse(version);
    List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
    if (number == VersionId.LATEST) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(() -> versionNotFound(subject, number));
  }

  /** Soft-deletes every live version; answers the version numbers deleted. */
  synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    refusePermanent(permanent);
    List<SchemaVersion> all = state.versions(subject, true);
    if (all.isEmpty()) {
      throw subjectNotFound(subject);
    }
    List<SchemaVersion> live = state.versions(subject, false);
    if (live.isEmpty()) {
      throw RegistryError.SUBJECT_SOFT_DELETED.exception(
          "Subject '" + subject + "' was soft deleted. Permanent deletion is not supported here");
    }
    List<Integer> deleted = new ArrayList<>();
    for (SchemaVersion v : live) {
      softDelete(v);
      deleted.add(v.version());
    }
    return deleted;
  }

  synchronized int deleteVersion(String subject, String version, boolean permanent) {
    refusePermanent(permanent);
    int number = VersionId.parse(version);
    if (state.versions(subject, true).isEmpty()) {
      throw subjectNotFound(subject);
    }
    SchemaVersion target;
    if (number == VersionId.LATEST) {
      target = version(subject, version, false);
    } else {
      target = state.version(subject, number).orElseThrow(() -> versionNotFound(subject, number));
      if (target.deleted()) {
        throw RegistryError.VERSION_SOFT_DELETED.exception(
            "Subject '" + subject + "' Version " + number + " was soft deleted");
      }
    }
    softDelete(target);
    return target.version();
  }

  CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  synchronized CompatibilityLevel setGlobalLevel(String level) {
    CompatibilityLevel parsed = parseLevel(level);
    store.append(Key.config(null), new ConfigValue(parsed.name()));
    return parsed;
  }

  synchronized CompatibilityLevel resetGlobalLevel() {
    CompatibilityLevel previous = state.globalLevel();
    store.append(Key.config(null), null);
    return previous;
  }

  CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> level = state.subjectLevel(subject);
    if (level.isEmpty() && defaultToGlobal) {
      return state.globalLevel();
    }
    return level.orElseThrow(() -> subjectConfigNotFound(subject));
  }

  synchronized CompatibilityLevel setSubjectLevel(String subject, String level) {
    CompatibilityLevel parsed = parseLevel(level);
    store.append(Key.config(subject), new ConfigValue(parsed.name()));
    return parsed;
  }

  synchronized CompatibilityLevel deleteSubjectLevel(String subject) {
    CompatibilityLevel previous =
        state.subjectLevel(subject).orElseThrow(() -> subjectConfigNotFound(subject));
    store.append(Key.config(subject), null);
    return previous;
  }

  /**
   * Incompatibilities of a candidate against one version, or against the versions the subject's
   * level covers when {@code version} is null or "latest"; empty when compatible.
   */
  List<String> compatibility(String subject, String version, Schema candidate) {
    CompatibilityLevel level = state.effectiveLevel(subject);
    if (version == null || VersionId.parse(version) == VersionId.LATEST) {
      return AvroCompatibility.check(level, candidate, liveSchemas(subject));
    }
    SchemaVersion against = version(subject, version, false);
    Schema schema = state.schema(against.id()).orElseThrow();
    return AvroCompatibility.check(level, candidate, List.of(schema));
  }

  private List<Schema> liveSchemas(String subject) {
    return state.versions(subject, false).stream()
        .map(v -> state.schema(v.id()).orElseThrow())
        .toList();
  }

  private List<SchemaVersion> existingVersions(String subject, boolean includeDeleted) {
    List<SchemaVersion> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw subjectNotFound(subject);
    }
    return versions;
  }

  private void softDelete(SchemaVersion v) {
    store.append(
        Key.schema(v.subject(), v.version()),
        new SchemaValue(v.subject(), v.version(), v.id(), v.schema(), null, true));
  }

  private static void refusePermanent(boolean permanent) {
    if (permanent) {
      // Hard deletes would let compaction drop the highest id, and a restart would reuse it.
      throw RegistryError.OPERATION_NOT_PERMITTED.exception(
          "permanent=true is not supported: this registry only soft-deletes, so ids are never reused");
    }
  }

  private static CompatibilityLevel parseLevel(String level) {
    return CompatibilityLevel.parse(level)
        .orElseThrow(
            () ->
                RegistryError.INVALID_COMPATIBILITY_LEVEL.exception(
                    "Invalid compatibility level "
                        + (level == null ? "(missing)" : "'" + level + "'")
                        + ". Valid values are none, backward, forward, full, backward_transitive,"
                        + " forward_transitive, and full_transitive"));
  }

  private static RegistryException subjectNotFound(String subject) {
    return RegistryError.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
  }

  private static RegistryException versionNotFound(String subject, int version) {
    return RegistryError.VERSION_NOT_FOUND.exception(
        "Version " + version + " not found for subject '" + subject + "'.");
  }

  private static RegistryException subjectConfigNotFound(String subject) {
    return RegistryError.SUBJECT_CONFIG_NOT_FOUND.exception(
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }
}
