package io.stackpilot.notifier.routing;

import java.util.List;
import java.util.Map;

/** A loaded, valid routing configuration: use {@link RoutingConfigLoader} to get one. */
public record RoutingConfig(
    Route route,
    List<InhibitRule> inhibitRules,
    Map<String, TimeInterval> timeIntervals,
    Map<String, Receiver> receivers) {

  public RoutingConfig {
    inhibitRules = List.copyOf(inhibitRules);
    timeIntervals = Map.copyOf(timeIntervals);
    receivers = Map.copyOf(receivers);
  }
}
