package io.stackpilot.registry;

/** Appends a record to the store and returns once the state reflects it. */
interface StoreWriter {
  void append(StoreRecords.Key key, Object value);
}
