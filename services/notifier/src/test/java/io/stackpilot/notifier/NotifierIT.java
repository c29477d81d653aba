package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.Channel;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.testing.DeadLetters;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/** The notifier delivers each verdict to a real HTTP webhook and records what happened. */
@ExtendWith(RealKafkaExtension.class)
class NotifierIT {
  static ConfigurableApplicationContext notifier;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static HttpSink webhook;
  static EventTap outcomes;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry) throws IOException {
    broker = kafka;
    registry = schemaRegistry;
    webhook = HttpSink.start();
    // verdicts only: the other tests' alerts on the shared broker would reach this webhook too
    Path routing = Files.createTempFile("notifier-it", ".yaml");
    Files.writeString(
        routing,
        """
        route:
          receiver: elsewhere
          group_by: ['...']
          group_wait: 0s
          routes:
            - matchers: [alertname="StackpilotComponentVerified"]
              receiver: local-webhook
        receivers:
          - name: local-webhook
          - name: elsewhere
        """);
    notifier =
        NotifierApplication.builder()
            .run(
                ServiceArgs.of(
                    broker,
                    registry,
                    "--stackpilot.notifier.webhook.url=" + webhook.url() + "?token=s3cr3t-token",
                    "--stackpilot.notifier.webhook.max-attempts=2",
                    "--stackpilot.notifier.routing.file=" + routing));
    outcomes =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.NOTIFICATIONS_SENT.topicName(), Topic.NOTIFICATIONS_FAILED.topicName()));
  }

  @AfterAll
  static void stop() {
    outcomes.close();
    notifier.close();
    webhook.close();
  }

  @Test
  void aVerdictIsDeliveredAsAnAlertmanagerWebhookAndRecordedWithoutTheUrl() {
    ComponentVerified verdict =
        Events.verified("r-notify", "perso", "grafana", HealthStatus.DEGRADED);
    send(verdict);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(outcomes.values(NotificationSent.class))
                    .anySatisfy(
                        n -> {
                          assertThat(n.getSubjectEventIds())
                              .containsExactly(verdict.getEnvelope().getEventId());
                          assertThat(n.getEnvelope().getCausationId())
                              .isEqualTo(verdict.getEnvelope().getEventId());
                          assertThat(n.getChannel()).isEqualTo(Channel.WEBHOOK);
                          assertThat(n.getState()).isEqualTo("firing");
                          assertThat(n.getReceiver()).isEqualTo("local-webhook");
                        }));
    assertThat(webhook.bodies())
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains("\"version\":\"4\"")
                    .contains("\"component\":\"grafana\"")
                    .contains("\"status\":\"firing\""));
    assertThat(outcomes.records())
        .allSatisfy(r -> assertThat(String.valueOf(r.value())).doesNotContain("s3cr3t"));
  }

  @Test
  void aReceiverThatKeepsFailingGivesANotificationFailedEvent() {
    webhook.respondWith(503);
    try {
      ComponentVerified verdict = Events.verified("r-fail", "perso", "loki", HealthStatus.HEALTHY);
      send(verdict);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(outcomes.values(NotificationFailed.class))
                      .anySatisfy(
                          f -> {
                            assertThat(f.getSubjectEventIds())
                                .containsExactly(verdict.getEnvelope().getEventId());
                            assertThat(f.getAttempt()).isEqualTo(2);
                            assertThat(f.getReason()).isEqualTo("HTTP 503");
                            assertThat(f.getRetriable()).isTrue();
                            assertThat(f.getReason()).doesNotContain("s3cr3t");
                          }));
    } finally {
      webhook.respondWith(200);
    }
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndNotifyingGoesOn() {
    try (EventTap dlq =
        EventTap.raw(broker.bootstrapServers(), List.of(Topic.deadLetterTopic("notifier")))) {
      DeadLetters.sendPoison(broker, Topic.COMPONENT_HEALTH.topicName(), "perso");
      ComponentVerified valid =
          Events.verified("r-after-poison", "perso", "tempo", HealthStatus.HEALTHY);
      send(valid);

      DeadLetters.awaitPoison(dlq, Topic.COMPONENT_HEALTH.topicName());
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(outcomes.values(NotificationSent.class))
                      .anyMatch(
                          n -> n.getSubjectEventIds().contains(valid.getEnvelope().getEventId())));
    }
  }

  private static void send(ComponentVerified verdict) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.COMPONENT_HEALTH.topicName(),
        "perso",
        verdict);
  }
}
