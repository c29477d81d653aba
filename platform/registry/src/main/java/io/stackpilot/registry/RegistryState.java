package io.stackpilot.registry;

import io.stackpilot.registry.StoreRecords.ConfigValue;
import io.stackpilot.registry.StoreRecords.DeleteSubjectValue;
import io.stackpilot.registry.StoreRecords.Key;
import io.stackpilot.registry.StoreRecords.SchemaValue;
import io.stackpilot.serde.CompatibilityLevel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, derived only from the store topic's records in order: nothing here is
 * changed except by {@link #apply}, so a restart that replays the topic rebuilds the same state.
 */
final class RegistryState {

  static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;
  private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

  private final NavigableMap<String, NavigableMap<Integer, SchemaVersion>> subjects =
      new TreeMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  /** Applies one store record; unreadable or foreign records are skipped with a warning. */
  synchronized void apply(byte[] keyBytes, byte[] valueBytes, long offset) {
    Key key;
    try {
      key = StoreRecords.read(keyBytes, Key.class);
    } catch (IOException | RuntimeException e) {
      log.warn("store offset {}: skipping record with an unreadable key: {}", offset, e.toString());
      return;
    }
    try {
      switch (key.keytype() == null ? "" : key.keytype()) {
        case StoreRecords.SCHEMA -> applySchema(key, valueBytes, offset);
        case StoreRecords.CONFIG -> applyConfig(key, valueBytes, offset);
        case StoreRecords.DELETE_SUBJECT -> applyDeleteSubject(valueBytes);
        case StoreRecords.NOOP -> {}
        default -> log.debug("store offset {}: ignoring key type {}", offset, key.keytype());
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "store offset {}: skipping unreadable {} record: {}",
          offset,
          key.keytype(),
          e.toString());
    }
  }

  private void applySchema(Key key, byte[] valueBytes, long offset) throws IOException {
    if (valueBytes == null) {
      // A tombstone (hard delete by another registry). The id stays known: ids are never reused.
      NavigableMap<Integer, SchemaVersion> versions = subjects.get(key.subject());
      if (versions != null && key.version() != null) {
        versions.remove(key.version());
      }
      return;
    }
    SchemaValue value = StoreRecords.read(valueBytes, SchemaValue.class);
    // Counted before any skipping: an id taken by a record we cannot use must not be reissued.
    maxId = Math.max(maxId, value.id());
    if (value.schemaType() != null && !value.schemaType().equalsIgnoreCase("AVRO")) {
      log.warn("store offset {}: skipping {} schema id {}", offset, value.schemaType(), value.id());
      return;
    }
    Schema schema = schemasById.get(value.id());
    if (schema == null) {
      schema = new Schema.Parser().parse(value.schema());
      schemasById.put(value.id(), schema);
    }
    String canonical = schema.toString();
    idsByCanonical.putIfAbsent(canonical, value.id());
    subjects
        .computeIfAbsent(value.subject(), s -> new TreeMap<>())
        .put(
            value.version(),
            new SchemaVersion(
                value.subject(), value.version(), value.id(), canonical, value.deleted()));
  }

  private void applyConfig(Key key, byte[] valueBytes, long offset) throws IOException {
    CompatibilityLevel level = null;
    if (valueBytes != null) {
      String name = StoreRecords.read(valueBytes, ConfigValue.class).compatibilityLevel();
      level = CompatibilityLevel.parse(name).orElse(null);
      if (level == null) {
        log.warn("store offset {}: ignoring unknown compatibility level {}", offset, name);
        return;
      }
    }
    if (key.subject() == null) {
      globalLevel = level;
    } else if (level == null) {
      subjectLevels.remove(key.subject());
    } else {
      subjectLevels.put(key.subject(), level);
    }
  }

  private void applyDeleteSubject(byte[] valueBytes) throws IOException {
    if (valueBytes == null) {
      return;
    }
    DeleteSubjectValue value = StoreRecords.read(valueBytes, DeleteSubjectValue.class);
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(value.subject());
    if (versions != null) {
      versions
          .headMap(value.version(), true)
          .replaceAll((v, sv) -> new SchemaVersion(sv.subject(), v, sv.id(), sv.schema(), true));
    }
  }

  /** Subjects with a live version, or with any version when {@code includeDeleted}; sorted. */
  synchronized List<String> subjects(boolean includeDeleted) {
    return subjects.entrySet().stream()
        .filter(e -> e.getValue().values().stream().anyMatch(v -> includeDeleted || !v.deleted()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The versions of a subject, oldest first. */
  synchronized List<SchemaVersion> versions(String subject, boolean includeDeleted) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  synchronized Optional<SchemaVersion> version(String subject, int version) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    return Optional.ofNullable(versions == null ? null : versions.get(version));
  }

  /** Highest version number ever used by the subject, deleted ones included (never reused). */
  synchronized int maxVersion(String subject) {
    NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  synchronized Optional<Schema> schema(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  synchronized Optional<Integer> idOf(String canonical) {
    return Optional.ofNullable(idsByCanonical.get(canonical));
  }

  synchronized int maxId() {
    return maxId;
  }

  /** All subject versions that use a schema id. */
  synchronized List<SchemaVersion> usages(int id, boolean includeDeleted) {
    List<SchemaVersion> usages = new ArrayList<>();
    subjects
        .values()
        .forEach(
            versions ->
                versions.values().stream()
                    .filter(v -> v.id() == id && (includeDeleted || !v.deleted()))
                    .forEach(usages::add));
    return usages;
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel == null ? DEFAULT_LEVEL : globalLevel;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized CompatibilityLevel effectiveLevel(String subject) {
    CompatibilityLevel level = subjectLevels.get(subject);
    return level != null ? level : globalLevel();
  }
}
