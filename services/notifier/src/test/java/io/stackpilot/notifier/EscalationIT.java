package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Escalation through the running notifier on the real broker: every failure of a cluster's
 * component is told, and the page comes with the third, across a restart between the second and the
 * third (the rebuilt groups count the failures the routed-alerts topic holds).
 */
@ExtendWith(RealKafkaExtension.class)
class EscalationIT {

  @Test
  void theThirdFailurePagesOnceWithAllThreeEvenAcrossARestart(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "esc" + Long.toHexString(System.nanoTime());
    try (CountingSink tell = CountingSink.start();
        CountingSink page = CountingSink.start();
        Alerts alerts = new Alerts(broker.bootstrapServers(), registry.url())) {
      Path file = dir.resolve("routing.yaml");
      Files.writeString(
          file,
          """
          route:
            receiver: tell
            group_by: [run, cluster, component]
            group_wait: 0s
            group_interval: 1s
            routes:
              - matchers: [severity="critical"]
                receiver: page
                escalate_after: 3
                continue: true
              - receiver: tell
          receivers:
            - name: tell
              webhook_configs: [{url: "%s"}]
            - name: page
              webhook_configs: [{url: "%s"}]
          """
              .formatted(tell.url(), page.url()));
      String[] args =
          ServiceArgs.of(
              broker,
              registry,
              "--stackpilot.notifier.group=" + run,
              "--stackpilot.notifier.instance-id=" + run,
              "--stackpilot.notifier.webhook.url=" + tell.url(),
              "--stackpilot.notifier.routing.file=" + file);

      try (ConfigurableApplicationContext notifier = NotifierApplication.builder().run(args)) {
        for (String rollout : List.of("r1", "r2")) {
          fail(alerts, run, rollout);
          await("failure " + rollout + " told")
              .atMost(Duration.ofSeconds(60))
              .until(() -> toldOf(tell, run).contains(rollout));
        }
      }
      assertThat(page.requests("run", run)).as("two failures page no one").isEmpty();

      try (ConfigurableApplicationContext restarted = NotifierApplication.builder().run(args)) {
        fail(alerts, run, "r3");
        await("the page")
            .atMost(Duration.ofSeconds(60))
            .until(() -> !page.requests("run", run).isEmpty());
        await("failure r3 told")
            .atMost(Duration.ofSeconds(60))
            .until(() -> toldOf(tell, run).contains("r3"));
        await("no second page")
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> page.requests("run", run).size() == 1);
        List<CountingSink.Request> pages = page.requests("run", run);
        assertThat(pages.get(0).alerts())
            .extracting(a -> a.get("rollout"))
            .containsExactlyInAnyOrder("r1", "r2", "r3");
      }
    }
  }

  private static void fail(Alerts alerts, String run, String rollout) {
    alerts.send(
        List.of(
            Alerts.event(
                Map.of(
                    "alertname",
                    "StackpilotComponentFailing",
                    "run",
                    run,
                    "cluster",
                    "hub",
                    "component",
                    "loki",
                    "severity",
                    "critical",
                    "rollout",
                    rollout),
                AlertStatus.FIRING,
                Instant.now(),
                null)));
  }

  /** The rollouts the tell receiver has been told of (its group lists every firing failure). */
  private static Set<String> toldOf(CountingSink tell, String run) {
    Set<String> told = new HashSet<>();
    tell.requests("run", run).forEach(r -> r.alerts().forEach(a -> told.add(a.get("rollout"))));
    return told;
  }
}
