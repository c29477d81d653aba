package io.stackpilot.registry;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** DOWN when the store reader has stopped: reads would go stale and writes would time out. */
final class StoreHealthIndicator implements HealthIndicator {

  private final KafkaStore store;

  StoreHealthIndicator(KafkaStore store) {
    this.store = store;
  }

  @Override
  public Health health() {
    Health.Builder health = store.healthy() ? Health.up() : Health.down();
    return health
        .withDetail("topic", store.topic())
        .withDetail("appliedOffset", store.appliedOffset())
        .build();
  }
}
