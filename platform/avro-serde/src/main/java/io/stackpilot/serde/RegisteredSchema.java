package io.stackpilot.serde;

import org.apache.avro.Schema;

/** One version of a subject in a schema registry, with its global id. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
