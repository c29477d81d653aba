package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;

/** Whether a Loki or Mimir component requires a tenant header, from its values. */
final class Tenancy {
  private Tenancy() {}

  /** Loki: {@code loki.auth_enabled}, true unless set false (the chart's default). */
  static boolean lokiRequiresTenant(StackView.ComponentView loki) {
    return loki.is(ComponentType.LOKI) && !Values.isFalse(loki.get("loki", "auth_enabled"));
  }

  /** Mimir: multi-tenant unless {@code multitenancy_enabled: false}. */
  static boolean mimirRequiresTenant(StackView.ComponentView mimir) {
    return mimir.is(ComponentType.MIMIR)
        && !Values.isFalse(mimir.get("mimir", "structuredConfig", "multitenancy_enabled"));
  }
}
