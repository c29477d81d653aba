package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The groups' state comes back from Kafka, not from the replica that held it: replica a is killed
 * with SIGKILL after notifying three groups, replica b takes the partitions over (a rebalance once
 * a's session expires), then a comes back beside b (another rebalance). The resolve sent while no
 * replica ran is notified after its firing; a group that did not change is not notified again;
 * repeat_interval counts from the logged send, not from the restart.
 */
@ExtendWith(RealKafkaExtension.class)
class NotifierRestartIT {
  static final Duration REPEAT = Duration.ofSeconds(60);

  @Test
  void resolvedFollowsFiringAndRepeatIntervalHoldsAcrossRestartAndRebalance(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "rs" + Long.toHexString(System.nanoTime());
    Path routing = dir.resolve("routing.yaml");
    Files.writeString(
        routing,
        """
        route:
          receiver: local-webhook
          group_by: [alertname, run]
          group_wait: 1s
          group_interval: 2s
          repeat_interval: 1h
          routes:
            - matchers: [alertname="Repeating"]
              repeat_interval: %ds
        receivers:
          - name: local-webhook
        """
            .formatted(REPEAT.toSeconds()));
    try (CountingSink sink = CountingSink.start();
        Alerts alerts = new Alerts(broker.bootstrapServers(), registry.url())) {
      String[] common = {
        "--stackpilot.notifier.group=" + run,
        "--stackpilot.notifier.webhook.url=" + sink.url(),
        "--stackpilot.notifier.routing.file=" + routing
      };
      Path logA = dir.resolve("a.log");
      Path logB = dir.resolve("b.log");
      Process a = NotifierProcess.start(broker, registry, logA, with(common, "a"));
      Process b = null;
      Process aAgain = null;
      try {
        Instant startsAt = Instant.now();
        Map<String, String> resolving = labels("Resolving", run);
        alerts.send(
            List.of(
                Alerts.event(resolving, AlertStatus.FIRING, startsAt, null),
                Alerts.event(labels("Steady", run), AlertStatus.FIRING, startsAt, null),
                Alerts.event(labels("Repeating", run), AlertStatus.FIRING, startsAt, null)));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    of(sink, run, "Resolving").size() == 1
                        && of(sink, run, "Steady").size() == 1
                        && of(sink, run, "Repeating").size() == 1);
        Instant firstRepeating = of(sink, run, "Repeating").get(0).at();

        a.destroyForcibly().waitFor();
        alerts.send(
            List.of(Alerts.event(resolving, AlertStatus.RESOLVED, startsAt, Instant.now())));
        b = NotifierProcess.start(broker, registry, logB, with(common, "b"));

        await().atMost(Duration.ofSeconds(120)).until(() -> of(sink, run, "Resolving").size() == 2);
        Instant tookOver = Instant.now();
        assertThat(of(sink, run, "Resolving"))
            .extracting(CountingSink.Request::status)
            .containsExactly("firing", "resolved");
        assertThat(tookOver)
            .as("b ran before the repeat was due")
            .isBefore(firstRepeating.plus(REPEAT));

        aAgain = NotifierProcess.start(broker, registry, logA, with(common, "a"));
        await().atMost(REPEAT.plusSeconds(60)).until(() -> of(sink, run, "Repeating").size() == 2);
        Instant secondRepeating = of(sink, run, "Repeating").get(1).at();
        await().during(Duration.ofSeconds(5)).until(() -> of(sink, run, "Steady").size() == 1);

        System.out.printf(
            "restart: Resolving got %s; Steady %d notification; Repeating again after %s"
                + " (repeat_interval %s; replica b took over %s after the first send)%n",
            of(sink, run, "Resolving").stream().map(CountingSink.Request::status).toList(),
            of(sink, run, "Steady").size(),
            Duration.between(firstRepeating, secondRepeating),
            REPEAT,
            Duration.between(firstRepeating, tookOver));
        assertThat(Duration.between(firstRepeating, secondRepeating)).isGreaterThan(REPEAT);
        assertThat(of(sink, run, "Resolving")).hasSize(2);
      } catch (AssertionError | RuntimeException e) {
        // the replicas are processes whose logs live in the temporary directory: keep them
        for (Path log : List.of(logA, logB)) {
          if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            System.out.println("---- " + log.getFileName() + " (last 150 of " + lines.size() + ")");
            lines
                .subList(Math.max(0, lines.size() - 150), lines.size())
                .forEach(System.out::println);
          }
        }
        throw e;
      } finally {
        for (Process p : new Process[] {a, b, aAgain}) {
          if (p != null) {
            p.destroyForcibly().waitFor();
          }
        }
      }
    }
  }

  private static Map<String, String> labels(String alertname, String run) {
    return Map.of("alertname", alertname, "run", run);
  }

  /**
   * The notifications of one alert as a receiver that honours Idempotency-Key sees them: the first
   * request of each notification id. A send in flight when a replica is killed is re-sent with its
   * id by the next owner (the ambiguous window, NotifierExactlyOnceIT); a second notification (a
   * repeat, a resolve) has an id of its own and counts.
   */
  private static List<CountingSink.Request> of(CountingSink sink, String run, String alertname) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    return sink.requests("run", run).stream()
        .filter(r -> alertname.equals(r.alerts().get(0).get("alertname")))
        .filter(r -> seen.add(String.valueOf(r.id())))
        .toList();
  }

  private static String[] with(String[] common, String instance) {
    String[] args = java.util.Arrays.copyOf(common, common.length + 1);
    args[common.length] = "--stackpilot.notifier.instance-id=" + instance;
    return args;
  }
}
