package io.stackpilot.notifier.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.Channel;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Counting as the running notifier records: one message per channel of the receiver, the
 * property-configured webhook counting for the receiver named for it, nothing for a receiver
 * without channels; repeats after repeat_interval on the events' own clock.
 */
class WhatIfTest {
  static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
  static final String CONFIG =
      """
      route:
        receiver: nowhere
        group_by: [alertname]
        group_wait: 0s
        group_interval: 1m
        repeat_interval: 1h
        routes:
          - matchers: ['severity="critical"']
            receiver: two-channels
            continue: true
          - matchers: ['severity="critical"']
            receiver: webhook
      receivers:
        - name: nowhere
        - name: webhook
        - name: two-channels
          webhook_configs: [{url: "http://127.0.0.1:1/a"}, {url: "http://127.0.0.1:1/b"}]
      """;

  @Test
  void messagesAreCountedPerChannelAndRepeatsOnTheEventsClock() {
    AlertStatusChanged critical = alert("critical", "NodeDown", T0);
    AlertStatusChanged warning = alert("warning", "DiskFilling", T0);
    List<SpecificRecord> events =
        List.of(critical, warning, sent("two-channels", critical), sent("two-channels", critical));

    WhatIf.Report report =
        new WhatIf(Duration.ofHours(24), "webhook")
            .compare(RoutingConfigLoader.load(CONFIG), events, T0.plus(Duration.ofMinutes(90)));

    // fired at T0, repeated at T0+1h (still firing, repeat_interval 1h): 2 flushes
    assertThat(report.candidate().byReceiver())
        .containsExactlyInAnyOrderEntriesOf(Map.of("two-channels", 4, "webhook", 2));
    assertThat(report.candidate().bySeverity().get("webhook"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("critical", 2));
    assertThat(report.recorded().byReceiver())
        .containsExactlyInAnyOrderEntriesOf(Map.of("two-channels", 2));
    assertThat(report.events()).isEqualTo(4);
  }

  private static AlertStatusChanged alert(String severity, String name, Instant at) {
    Map<String, String> labels = new TreeMap<>(Map.of("alertname", name, "severity", severity));
    return AlertStatusChanged.newBuilder()
        .setEnvelope(envelope("alert-" + name, at))
        .setStatus(AlertStatus.FIRING)
        .setFingerprint(labels.toString())
        .setLabels(labels)
        .setStartsAt(at)
        .build();
  }

  private static NotificationSent sent(String receiver, AlertStatusChanged about) {
    return NotificationSent.newBuilder()
        .setEnvelope(envelope("sent-" + receiver, T0.plusSeconds(1)))
        .setReceiver(receiver)
        .setChannel(Channel.WEBHOOK)
        .setGroupKey("{}:{alertname=NodeDown}")
        .setState("firing")
        .setAttempt(1)
        .setSubjectEventIds(List.of(about.getEnvelope().getEventId()))
        .setResponseStatus(200)
        .build();
  }

  private static EventEnvelope envelope(String id, Instant at) {
    return EventEnvelope.newBuilder()
        .setEventId(id)
        .setOccurredAt(at)
        .setActor("service:test")
        .setCorrelationId("alerts")
        .setProducer("test")
        .build();
  }
}
