package io.stackpilot.notifier.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.NotificationAcknowledged;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Proves, against a local HTTP endpoint playing Pushover's receipts API, that an acknowledged
 * emergency notification becomes a NotificationAcknowledged event, that the group's other emergency
 * receipts are cancelled, that the group stops repeating while it fires, and that its resolution is
 * still sent.
 */
@ExtendWith(RealKafkaExtension.class)
class AcknowledgementIT {
  static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
  static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";

  @Test
  void anAcknowledgementStopsRepeatsAndCancelsTheOtherReceipts(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "ak" + Long.toHexString(System.nanoTime());
    try (PushoverApiSink pushover = PushoverApiSink.start(USER);
        EventTap tap =
            EventTap.avro(
                broker.bootstrapServers(),
                registry.url(),
                List.of(Topic.NOTIFICATIONS_ACKNOWLEDGED.topicName()))) {
      try (ConfigurableApplicationContext notifier =
          NotifierApplication.builder()
              .run(
                  args(
                      broker,
                      registry,
                      dir,
                      run,
                      pushover,
                      "2s",
                      "critical: 2, warning: 0, info: -1"))) {
        Map<String, String> labels =
            Map.of("alertname", "DiskFull", "run", run, "severity", "critical", "cluster", run);
        Instant startsAt = Instant.now();
        send(broker, registry, labels, AlertStatus.FIRING, startsAt, null);

        // the first page and its repeat (repeat_interval 2s): two emergency receipts
        await().atMost(Duration.ofSeconds(60)).until(() -> pushover.receipts().size() >= 2);
        assertThat(pushover.messages())
            .allSatisfy(m -> assertThat(m).containsEntry("priority", "2"));
        String first = pushover.receipts().get(0);
        pushover.acknowledge(first);

        NotificationAcknowledged ack =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () ->
                        tap.values(NotificationAcknowledged.class).stream()
                            .filter(a -> a.getReceipt().equals(first))
                            .findFirst()
                            .orElse(null),
                    a -> a != null);
        int pagesAtAck = pushover.messages().size();
        assertThat(ack.getReceiver()).isEqualTo("pager");
        assertThat(ack.getChannel()).isEqualTo(io.stackpilot.events.Channel.PUSHOVER);
        assertThat(ack.getAlerts()).hasSize(1);
        assertThat(ack.getAlerts().get(0).getFingerprint())
            .isEqualTo(new TreeMap<>(labels).toString());
        assertThat(ack.getAcknowledgedBy()).startsWith("pushover-user:");
        assertThat(ack.toString()).doesNotContain(USER).doesNotContain(TOKEN);
        assertThat(ack.getEnvelope().getCluster()).isEqualTo(run);
        // every other receipt of the group issued before the acknowledgement is cancelled
        assertThat(ack.getCancelledReceipts()).isNotEmpty().doesNotContain(first);
        assertThat(pushover.cancelled()).containsAll(ack.getCancelledReceipts());

        // still firing, but acknowledged: no repeat for three repeat intervals (one page decided
        // before the acknowledgement was read may still be on its way)
        await()
            .during(Duration.ofSeconds(6))
            .atMost(Duration.ofSeconds(10))
            .until(() -> pushover.messages().size() <= pagesAtAck + 1);
        int pagesBeforeResolve = pushover.messages().size();

        send(broker, registry, labels, AlertStatus.RESOLVED, startsAt, Instant.now());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> pushover.messages().size() == pagesBeforeResolve + 1);
        Map<String, String> resolved = pushover.messages().get(pagesBeforeResolve);
        assertThat(resolved.get("title")).contains("RESOLVED");
        assertThat(resolved.get("priority")).isNotEqualTo("2");
        System.out.printf(
            "acknowledgement: %d pages before the ack, %d cancelled receipts, %d pages in the"
                + " 6s after it, %d receipt polls%n",
            pagesAtAck,
            ack.getCancelledReceipts().size(),
            pagesBeforeResolve - pagesAtAck,
            pushover.polls());
      }
    }
  }

  @Test
  void anEmergencySentBeforeARestartIsFollowedAfterIt(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "akr" + Long.toHexString(System.nanoTime());
    try (PushoverApiSink pushover = PushoverApiSink.start(USER);
        EventTap tap =
            EventTap.avro(
                broker.bootstrapServers(),
                registry.url(),
                List.of(
                    Topic.NOTIFICATIONS_ACKNOWLEDGED.topicName(),
                    Topic.NOTIFICATIONS_SENT.topicName()))) {
      String[] args = args(broker, registry, dir, run, pushover, "1h", "critical: 2");
      Map<String, String> labels =
          Map.of("alertname", "DiskFull", "run", run, "severity", "critical", "cluster", run);
      String receipt;
      try (ConfigurableApplicationContext notifier = NotifierApplication.builder().run(args)) {
        send(broker, registry, labels, AlertStatus.FIRING, Instant.now(), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> !pushover.receipts().isEmpty());
        receipt = pushover.receipts().get(0);
        // the receipt is in the event, for whoever follows it next
        NotificationSent sent =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () ->
                        tap.values(NotificationSent.class).stream()
                            .filter(e -> receipt.equals(e.getReceipt()))
                            .findFirst()
                            .orElse(null),
                    e -> e != null);
        assertThat(sent.getChannelId()).isEqualTo("pushover/0");
        assertThat(sent.getFiringAlerts())
            .extracting(a -> a.getFingerprint())
            .containsExactly(new TreeMap<>(labels).toString());
        assertThat(sent.toString()).doesNotContain(USER).doesNotContain(TOKEN);
      }
      // acknowledged while no notifier runs: the next one reads the receipt back and follows it
      pushover.acknowledge(receipt);
      try (ConfigurableApplicationContext restarted = NotifierApplication.builder().run(args)) {
        NotificationAcknowledged ack =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () ->
                        tap.values(NotificationAcknowledged.class).stream()
                            .filter(a -> a.getReceipt().equals(receipt))
                            .findFirst()
                            .orElse(null),
                    a -> a != null);
        assertThat(ack.getReceiver()).isEqualTo("pager");
        assertThat(ack.getAlerts())
            .extracting(a -> a.getFingerprint())
            .containsExactly(new TreeMap<>(labels).toString());
        // followed by one replica, once: no second acknowledgement over ten more poll rounds
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    tap.values(NotificationAcknowledged.class).stream()
                            .filter(a -> a.getReceipt().equals(receipt))
                            .count()
                        == 1);
      }
    }
  }

  /**
   * The notifier's arguments: this run's alerts page the receiver {@code pager} over Pushover (the
   * sink playing its API) with these priorities, repeated every {@code repeat}; the Pushover
   * credentials are mounted Secret files in {@code dir}.
   */
  private static String[] args(
      KafkaBroker broker,
      SchemaRegistry registry,
      Path dir,
      String run,
      PushoverApiSink pushover,
      String repeat,
      String priorities)
      throws IOException {
    Path secrets = dir.resolve("secrets");
    Files.createDirectories(secrets.resolve("pushover"));
    Files.writeString(secrets.resolve("pushover/token"), TOKEN);
    Files.writeString(secrets.resolve("pushover/user"), USER);
    Path routing = dir.resolve("routing.yaml");
    Files.writeString(
        routing,
        """
        route:
          receiver: nowhere
          group_by: [alertname, run]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: %s
          routes:
            # other tests' alerts share the broker: only this run's page
            - matchers: ['run="%s"']
              receiver: pager
        receivers:
          - name: nowhere
          - name: pager
            pushover_configs:
              - token: {secretRef: {name: pushover, key: token}}
                user_key: {secretRef: {name: pushover, key: user}}
                api_url: %s
                priorities: {%s}
                retry: 30s
                expire: 1h
        """
            .formatted(repeat, run, pushover.apiUrl(), priorities));
    return ServiceArgs.of(
        broker,
        registry,
        "--stackpilot.notifier.group=" + run,
        "--stackpilot.notifier.instance-id=" + run,
        "--stackpilot.notifier.routing.file=" + routing,
        "--stackpilot.notifier.secrets.dir=" + secrets,
        "--stackpilot.notifier.acknowledgements.poll-interval=300ms",
        "--stackpilot.notifier.wave-silences.enabled=false",
        "--stackpilot.notifier.webhook.url=http://127.0.0.1:9/unused");
  }

  private static void send(
      KafkaBroker broker,
      SchemaRegistry registry,
      Map<String, String> labels,
      AlertStatus status,
      Instant startsAt,
      Instant endsAt) {
    String fingerprint = new TreeMap<>(labels).toString();
    AlertStatusChanged event =
        AlertStatusChanged.newBuilder()
            .setEnvelope(
                EventEnvelope.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(endsAt == null ? startsAt : endsAt)
                    .setActor("service:prometheus")
                    .setCluster(labels.get("cluster"))
                    .setCorrelationId("alerts")
                    .setProducer("test")
                    .build())
            .setStatus(status)
            .setFingerprint(fingerprint)
            .setLabels(labels)
            .setStartsAt(startsAt)
            .setEndsAt(endsAt)
            .build();
    TestRecords.sendEvent(
        broker.bootstrapServers(), registry.url(), Topic.ALERTS.topicName(), fingerprint, event);
  }
}
