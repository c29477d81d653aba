package io.stackpilot.registry;

import java.util.ArrayList;
import java.util.List;

/** The store without Kafka: records go through the same JSON encoding and are applied at once. */
final class InMemoryStore implements StoreWriter {

  record Written(byte[] key, byte[] value) {}

  final List<Written> log = new ArrayList<>();
  private final RegistryState state;

  InMemoryStore(RegistryState state) {
    this.state = state;
  }

  @Override
  public void append(StoreRecords.Key key, Object value) {
    Written written = new Written(StoreRecords.write(key), StoreRecords.write(value));
    log.add(written);
    state.apply(written.key(), written.value(), log.size() - 1);
  }

  /** A fresh state built by replaying everything written, as a restarted registry would. */
  RegistryState replay() {
    RegistryState replayed = new RegistryState();
    for (int i = 0; i < log.size(); i++) {
      replayed.apply(log.get(i).key(), log.get(i).value(), i);
    }
    return replayed;
  }
}
