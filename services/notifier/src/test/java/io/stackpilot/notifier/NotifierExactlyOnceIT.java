package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two notifier replicas in one consumer group, one killed with SIGKILL while 1,000 alerts are in
 * flight and started again: every alert is notified, by exactly one notification id, recorded by
 * exactly one NotificationSent; a notification re-sent after the kill carries the id of the first
 * send, so a receiver that honours Idempotency-Key delivers it once.
 */
@ExtendWith(RealKafkaExtension.class)
class NotifierExactlyOnceIT {
  static final int ALERTS = 1_000;

  @Test
  void aKilledReplicaAndItsTwinDeliverEveryNotificationOnce(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "eo" + Long.toHexString(System.nanoTime());
    try (CountingSink sink = CountingSink.start();
        Alerts alerts = new Alerts(broker.bootstrapServers(), registry.url());
        EventTap sent =
            EventTap.avro(
                broker.bootstrapServers(),
                registry.url(),
                List.of(Topic.NOTIFICATIONS_SENT.topicName()))) {
      String[] common = {
        "--stackpilot.notifier.group=" + run,
        "--stackpilot.notifier.webhook.url=" + sink.url(),
        "--stackpilot.notifier.delivery.rate-per-second=100000",
        "--stackpilot.notifier.delivery.burst=100000",
        "--stackpilot.notifier.delivery.chunk=20"
      };
      Path logA = dir.resolve("a.log");
      Path logB = dir.resolve("b.log");
      Process a = NotifierProcess.start(broker, registry, logA, with(common, "a"));
      Process b = NotifierProcess.start(broker, registry, logB, with(common, "b"));
      Process restarted = null;
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    NotifierProcess.count(logA, "caught up") > 0
                        && NotifierProcess.count(logB, "caught up") > 0);
        Instant now = Instant.now();
        List<AlertStatusChanged> firing = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
          firing.add(
              Alerts.event(
                  Map.of("alertname", "Burst", "run", run, "n", Integer.toString(i)),
                  AlertStatus.FIRING,
                  now,
                  null));
        }
        alerts.send(firing);

        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> sink.requests("run", run).size() >= ALERTS / 4);
        a.destroyForcibly().waitFor();
        int atKill = sink.requests("run", run).size();
        restarted = NotifierProcess.start(broker, registry, logA, with(common, "a"));

        await()
            .atMost(Duration.ofSeconds(180))
            .until(() -> CountingSink.perId(sink.requests("run", run)).size() >= ALERTS);
        // then nothing more comes: no late re-send, no second decision
        await()
            .during(Duration.ofSeconds(8))
            .atMost(Duration.ofSeconds(30))
            .until(() -> CountingSink.perId(sink.requests("run", run)).size() == ALERTS);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> sentFor(sent, sink, run).size() >= ALERTS);

        List<CountingSink.Request> requests = sink.requests("run", run);
        Map<String, Long> perId = CountingSink.perId(requests);
        Map<String, Set<String>> idsPerAlert =
            requests.stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.alerts().get(0).get("n"),
                        Collectors.mapping(CountingSink.Request::id, Collectors.toSet())));
        long resent = perId.values().stream().filter(n -> n > 1).count();
        List<NotificationSent> recorded = sentFor(sent, sink, run);
        System.out.printf(
            "exactly-once: %d alerts; replica a killed after %d requests; the sink counted %d"
                + " requests, %d distinct notification ids, %d ids received more than once (the"
                + " ambiguous re-sends after the kill, same id); %d NotificationSent; replica b"
                + " published %d, a (both runs) %d%n",
            ALERTS,
            atKill,
            requests.size(),
            perId.size(),
            resent,
            recorded.size(),
            NotifierProcess.count(logB, "published NotificationSent"),
            NotifierProcess.count(logA, "published NotificationSent"));

        assertThat(idsPerAlert).hasSize(ALERTS);
        assertThat(idsPerAlert).allSatisfy((n, ids) -> assertThat(ids).as("alert " + n).hasSize(1));
        assertThat(perId).hasSize(ALERTS);
        assertThat(perId.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
        assertThat(requests).allSatisfy(r -> assertThat(r.status()).isEqualTo("firing"));
        assertThat(recorded).hasSize(ALERTS);
        assertThat(recorded.stream().map(n -> n.getSubjectEventIds().get(0)).distinct())
            .hasSize(ALERTS);
      } finally {
        for (Process p : new Process[] {a, b, restarted}) {
          if (p != null) {
            p.destroyForcibly().waitFor();
          }
        }
      }
    }
  }

  /** The NotificationSent events of this run (their subject is one of the run's alerts). */
  private static List<NotificationSent> sentFor(EventTap tap, CountingSink sink, String run) {
    return tap.values(NotificationSent.class).stream()
        .filter(n -> n.getGroupKey().contains("run=\"" + run + "\""))
        .toList();
  }

  private static String[] with(String[] common, String instance) {
    List<String> args = new ArrayList<>(List.of(common));
    args.add("--stackpilot.notifier.instance-id=" + instance);
    return args.toArray(String[]::new);
  }
}
