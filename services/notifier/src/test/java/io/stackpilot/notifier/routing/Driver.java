package io.stackpilot.notifier.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives a dispatcher with a test clock: receive alerts, run the timers up to an instant. */
final class Driver {

  final TestClock clock;
  final Silences silences = new Silences();
  final Dispatcher dispatcher;
  final List<Notification> sent = new ArrayList<>();

  Driver(RoutingConfig config, Instant start) {
    this.clock = new TestClock(start);
    this.dispatcher = new Dispatcher(config, clock, silences);
  }

  Instant now() {
    return clock.instant();
  }

  Alert fire(Map<String, String> labels) {
    Alert a = Alert.firing(labels, now());
    dispatcher.receive(a);
    return a;
  }

  void resolve(Alert alert) {
    dispatcher.receive(alert.resolved(now()));
  }

  /** Fires every group flush due up to `until` at its own instant; returns what was sent. */
  List<Notification> runUntil(Instant until) {
    List<Notification> out = new ArrayList<>();
    while (dispatcher.nextFlushAt().isPresent() && !dispatcher.nextFlushAt().get().isAfter(until)) {
      clock.set(dispatcher.nextFlushAt().get());
      out.addAll(dispatcher.flushDue());
    }
    clock.set(until);
    sent.addAll(out);
    return out;
  }

  List<Notification> runFor(Duration d) {
    return runUntil(now().plus(d));
  }

  static List<String> alertnames(List<Alert> alerts) {
    return alerts.stream().map(a -> a.labels().get("alertname")).sorted().toList();
  }
}
