package io.stackpilot.notifier.routing;

import java.util.Map;

/** A named receiver; its channel settings stay opaque until channels are built. */
public record Receiver(String name, Map<String, Object> settings) {

  public Receiver {
    settings = Map.copyOf(settings);
  }
}
