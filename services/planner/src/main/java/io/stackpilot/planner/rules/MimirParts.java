package io.stackpilot.planner.rules;

import java.util.List;

/** The mimir-distributed parts that run as StatefulSets with a volume claim template. */
final class MimirParts {
  static final List<String> STATEFUL =
      List.of("ingester", "store_gateway", "compactor", "alertmanager");

  private MimirParts() {}
}
