package io.stackpilot.registry;

/** One version of a subject: its global schema id and the schema's canonical JSON. */
record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {}
