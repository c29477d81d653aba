package io.stackpilot.notifier.whatif;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.notifier.delivery.EventAlerts;
import io.stackpilot.notifier.delivery.SourcedAlert;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Dispatcher;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.Receiver;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.Silences;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a candidate routing configuration would have sent over a recorded range of events, against
 * what was sent. The events are turned into alerts exactly as the running notifier turns them
 * ({@link EventAlerts}) and driven through Alertmanager's dispatcher ({@link Dispatcher}) on a
 * clock that moves from one event's {@code occurredAt} to the next, so grouping, repeat and mute
 * timers behave as they would have, in no time and with no wall clock: the same range and
 * configuration always give the same answer. Nothing is sent.
 *
 * <p>Counts are messages per receiver: each notification (one per flush of an aggregation group
 * that had something new) counts once per channel of its receiver ({@code *_configs} entries, or
 * the property-configured webhook for the receiver named like it), as the running notifier records
 * one {@code NotificationSent} per channel. Receivers without any channel (the usual {@code "null"}
 * receiver) send nothing and are not counted. Per severity: the highest {@code severity} label
 * among the notification's firing alerts, or {@code resolved} when it only resolves. What was sent
 * is the range's {@code NotificationSent} events, each with the severity of the alerts it was
 * about.
 */
public final class WhatIf {
  /** Severities from the highest; anything else ranks below them. */
  static final List<String> SEVERITIES =
      List.of("critical", "page", "error", "warning", "ticket", "info");

  /** Notifications counted by receiver, and by receiver and severity. */
  public record Tally(
      Map<String, Integer> byReceiver, Map<String, Map<String, Integer>> bySeverity) {
    public int total() {
      return byReceiver.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** The candidate's tally next to the recorded one, over the same events. */
  public record Report(Tally candidate, Tally recorded, int events, Instant from, Instant until) {}

  private final Duration resolveAfter;
  private final String webhookReceiver;

  /**
   * @param resolveAfter how long a one-off lifecycle alert stays firing, as the running notifier is
   *     configured ({@code stackpilot.notifier.events.resolve-after})
   * @param webhookReceiver the receiver that, without channels of its own, sends to the
   *     property-configured webhook ({@code stackpilot.notifier.webhook.receiver}), or null
   */
  public WhatIf(Duration resolveAfter, String webhookReceiver) {
    this.resolveAfter = resolveAfter;
    this.webhookReceiver = webhookReceiver;
  }

  /**
   * Compares the candidate with what was sent for these events.
   *
   * @param until how long timers may still run after the last event (groups waiting to flush)
   */
  public Report compare(RoutingConfig candidate, List<SpecificRecord> events, Instant until) {
    List<SpecificRecord> ordered = inOrder(events);
    Instant from = ordered.isEmpty() ? until : occurredAt(ordered.get(0));
    return new Report(
        simulateInOrder(candidate, ordered, until), recorded(ordered), ordered.size(), from, until);
  }

  /** What the configuration would have sent. */
  public Tally simulate(RoutingConfig config, List<SpecificRecord> events, Instant until) {
    return simulateInOrder(config, inOrder(events), until);
  }

  private Tally simulateInOrder(RoutingConfig config, List<SpecificRecord> ordered, Instant until) {
    MovingClock clock = new MovingClock();
    Dispatcher dispatcher = new Dispatcher(config, clock, new Silences());
    Counter counter = new Counter();
    for (SpecificRecord event : ordered) {
      Instant at = occurredAt(event);
      flushUntil(dispatcher, clock, at, config, counter, webhookReceiver);
      clock.now = at.isAfter(clock.now) ? at : clock.now;
      for (SourcedAlert alert : alerts().of(event, at)) {
        dispatcher.receive(alert.alert());
      }
    }
    flushUntil(dispatcher, clock, until, config, counter, webhookReceiver);
    return counter.tally();
  }

  /** What was sent: the range's NotificationSent events. */
  public Tally recorded(List<SpecificRecord> events) {
    Map<String, String> severityOfEvent = new HashMap<>();
    for (SpecificRecord event : events) {
      Instant at = occurredAt(event);
      for (SourcedAlert alert : alerts().of(event, at)) {
        severityOfEvent.put(alert.cause().eventId(), alert.labels().getOrDefault("severity", ""));
      }
    }
    Counter counter = new Counter();
    for (SpecificRecord event : events) {
      if (event instanceof NotificationSent sent) {
        String severity =
            "resolved".equals(sent.getState())
                ? "resolved"
                : highest(
                    sent.getSubjectEventIds().stream()
                        .map(id -> severityOfEvent.getOrDefault(id, ""))
                        .toList());
        counter.count(sent.getReceiver(), severity);
      }
    }
    return counter.tally();
  }

  private EventAlerts alerts() {
    return new EventAlerts(resolveAfter);
  }

  private static void flushUntil(
      Dispatcher dispatcher,
      MovingClock clock,
      Instant until,
      RoutingConfig config,
      Counter counter,
      String webhookReceiver) {
    for (Optional<Instant> next = dispatcher.nextFlushAt();
        next.isPresent() && !next.get().isAfter(until);
        next = dispatcher.nextFlushAt()) {
      if (next.get().isAfter(clock.now)) {
        clock.now = next.get();
      }
      for (Notification n : dispatcher.flushDue()) {
        int channels =
            channels(config.receivers().get(n.receiver()), n.receiver(), webhookReceiver);
        for (int c = 0; c < channels; c++) {
          counter.count(n.receiver(), severity(n));
        }
      }
    }
  }

  /**
   * How many channels a receiver sends through: its {@code *_configs} entries, or the
   * property-configured webhook when it is the receiver named for it and has none of its own.
   */
  static int channels(Receiver receiver, String name, String webhookReceiver) {
    int configs = 0;
    if (receiver != null) {
      for (Map.Entry<String, Object> e : receiver.settings().entrySet()) {
        if (e.getKey().endsWith("_configs") && e.getValue() instanceof Collection<?> c) {
          configs += c.size();
        }
      }
    }
    return configs == 0 && name.equals(webhookReceiver) ? 1 : configs;
  }

  static String severity(Notification n) {
    if (n.firing().isEmpty()) {
      return "resolved";
    }
    return highest(n.firing().stream().map(WhatIf::severityOf).toList());
  }

  private static String severityOf(Alert a) {
    return a.labels().getOrDefault("severity", "");
  }

  static String highest(Collection<String> severities) {
    return severities.stream()
        .min(Comparator.comparingInt(WhatIf::rank))
        .filter(s -> !s.isEmpty())
        .orElse("none");
  }

  private static int rank(String severity) {
    int i = SEVERITIES.indexOf(severity);
    return i < 0 ? SEVERITIES.size() : i;
  }

  private static List<SpecificRecord> inOrder(List<SpecificRecord> events) {
    List<SpecificRecord> ordered = new ArrayList<>(events);
    ordered.sort(Comparator.comparing(WhatIf::occurredAt)); // stable: ties keep the log's order
    return ordered;
  }

  private static Instant occurredAt(SpecificRecord event) {
    return Topic.envelopeOf(event).getOccurredAt();
  }

  private static final class Counter {
    private final Map<String, Integer> byReceiver = new TreeMap<>();
    private final Map<String, Map<String, Integer>> bySeverity = new TreeMap<>();

    void count(String receiver, String severity) {
      byReceiver.merge(receiver, 1, Integer::sum);
      bySeverity.computeIfAbsent(receiver, r -> new TreeMap<>()).merge(severity, 1, Integer::sum);
    }

    Tally tally() {
      return new Tally(byReceiver, bySeverity);
    }
  }

  /** The simulation's time: where the last event or timer put it. */
  private static final class MovingClock extends Clock {
    private Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the simulation runs in UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
