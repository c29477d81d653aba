package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Stackpilot's {@code escalate_after}: a route whose groups notify only from their N-th alert
 * occurrence, beside a route that tells every one (continue). The page comes at the third failure
 * of a cluster's component, not the first; a group whose trouble ends before that never pages.
 */
class EscalationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final String CONFIG =
      """
      route:
        receiver: ntfy
        group_by: [cluster, component]
        group_wait: 0s
        group_interval: 1m
        repeat_interval: 4h
        routes:
          - matchers: ['health=~"DEGRADED|MISSING"']
            receiver: pushover
            escalate_after: 3
            continue: true
          - receiver: ntfy
      receivers: [{name: ntfy}, {name: pushover}]
      """;

  private final Driver d = new Driver(RoutingConfigLoader.load(CONFIG), T0);

  @Test
  void theThirdFailureOfAGroupPagesWithAllThreeAndEveryOneIsTold() {
    for (int rollout = 1; rollout <= 2; rollout++) {
      d.fire(failure("r" + rollout));
      List<Notification> sent = d.runFor(Duration.ofMinutes(1));
      assertThat(receivers(sent)).as("failure %d", rollout).containsExactly("ntfy");
    }
    d.fire(failure("r3"));
    List<Notification> third = d.runFor(Duration.ofMinutes(1));
    assertThat(receivers(third)).containsExactlyInAnyOrder("ntfy", "pushover");
    Notification page = only(third, "pushover");
    assertThat(page.groupKey())
        .isEqualTo("{}/{health=~\"DEGRADED|MISSING\"}:{cluster=\"hub\", component=\"loki\"}");
    assertThat(page.firing()).extracting(a -> a.labels().get("rollout")).contains("r1", "r2", "r3");
  }

  @Test
  void anUpdateOfTheSameFiringIsNotASecondFailureButFiringAgainIs() {
    Alert first = d.fire(failure("r1"));
    d.runFor(Duration.ofMinutes(1));
    // the same alert sent again (same start): one occurrence
    d.dispatcher.receive(first);
    d.dispatcher.receive(first);
    d.fire(failure("r2"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(1)))).doesNotContain("pushover");
    // r1 ends and fails again: a new start, a new occurrence, the third
    d.resolve(first);
    d.runFor(Duration.ofMinutes(1));
    d.fire(failure("r1"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(1)))).contains("pushover");
  }

  @Test
  void troubleThatEndsBeforeTheThirdFailureNeverPagesAndTheCountStartsAgain() {
    Alert a = d.fire(failure("r1"));
    Alert b = d.fire(failure("r2"));
    d.runFor(Duration.ofMinutes(1));
    d.resolve(a);
    d.resolve(b);
    assertThat(receivers(d.runFor(Duration.ofMinutes(5))))
        .as("the resolves go to ntfy, which was told of the firing; nothing to pushover")
        .containsOnly("ntfy");
    // the group ended with its alerts: two new failures are the first and the second again
    d.fire(failure("r3"));
    d.runFor(Duration.ofMinutes(1));
    d.fire(failure("r4"));
    assertThat(d.runFor(Duration.ofMinutes(5)))
        .extracting(Notification::receiver)
        .containsOnly("ntfy");
    assertThat(d.sent).extracting(Notification::receiver).doesNotContain("pushover");
  }

  @Test
  void anEscalatedGroupTellsItsResolveAndThenWaitsForThreeFailuresAgain() {
    Alert a = d.fire(failure("r1"));
    Alert b = d.fire(failure("r2"));
    Alert c = d.fire(failure("r3"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(1)))).contains("pushover");
    d.resolve(a);
    d.resolve(b);
    d.resolve(c);
    Notification resolved = only(d.runFor(Duration.ofMinutes(1)), "pushover");
    assertThat(resolved.firing()).isEmpty();
    assertThat(resolved.resolved()).hasSize(3);
    d.fire(failure("r4"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(5)))).containsOnly("ntfy");
  }

  @Test
  void aGroupWhoseReceiverWasLastToldOfFiringStaysEscalatedAfterARestart() {
    // a rebuilt dispatcher may count fewer occurrences than it had (the routed-alerts topic keeps
    // the latest state of each alert): the log of the page it sent keeps it escalated
    String groupKey = "{}/{health=~\"DEGRADED|MISSING\"}:{cluster=\"hub\", component=\"loki\"}";
    Alert a = Alert.firing(failure("r1"), T0.minus(Duration.ofMinutes(10)));
    d.dispatcher.restoreLog("pushover", groupKey, Set.of(a.fingerprint()), Set.of(), T0);
    d.dispatcher.receive(a);
    d.runFor(Duration.ofMinutes(1));
    d.fire(failure("r2"));
    Notification page = only(d.runFor(Duration.ofMinutes(1)), "pushover");
    assertThat(page.firing()).hasSize(2);
  }

  @Test
  void aPageWhoseResolveWasSilencedDoesNotEscalateTheNextTrouble() {
    Alert a = d.fire(failure("r1"));
    Alert b = d.fire(failure("r2"));
    Alert c = d.fire(failure("r3"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(1)))).contains("pushover");
    // maintenance: silenced, and the failures end under the silence, so no resolve is sent
    d.silences.put(
        new Silence(
            "maintenance",
            List.of(LabelMatcher.of("component", LabelMatcher.Type.EQUAL, "loki")),
            d.now(),
            d.now().plus(Duration.ofHours(1)),
            "user:alice",
            "upgrade"));
    d.resolve(a);
    d.resolve(b);
    d.resolve(c);
    assertThat(d.runFor(Duration.ofHours(2))).isEmpty();
    d.fire(failure("r4"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(5))))
        .as("one new failure after the trouble ended: told, not paged")
        .containsOnly("ntfy");
  }

  @Test
  void resolvedAlertsFedAgainAtARebuildAreNoFailures() {
    // a rebuilt dispatcher is fed the routed alerts the topic holds, resolved ones included
    Instant start = T0.minus(Duration.ofMinutes(30));
    d.dispatcher.receive(Alert.firing(failure("r1"), start).resolved(start.plusSeconds(60)));
    d.dispatcher.receive(Alert.firing(failure("r2"), start).resolved(start.plusSeconds(90)));
    d.fire(failure("r3"));
    assertThat(receivers(d.runFor(Duration.ofMinutes(5)))).doesNotContain("pushover");
  }

  @Test
  void escalateAfterIsAWholeNumberOfAtLeastOneAndIsNotInherited() {
    RoutingConfig config =
        RoutingConfigLoader.load(
            """
            route:
              receiver: a
              routes:
                - receiver: b
                  escalate_after: 2
                  routes: [{receiver: c}]
            receivers: [{name: a}, {name: b}, {name: c}]
            """);
    Route b = config.route().routes().get(0);
    assertThat(config.route().escalateAfter()).isEqualTo(1);
    assertThat(b.escalateAfter()).isEqualTo(2);
    assertThat(b.routes().get(0).escalateAfter()).isEqualTo(1);
    for (String bad : List.of("0", "-1", "2.5", "three", "[3]")) {
      assertThatThrownBy(
              () ->
                  RoutingConfigLoader.load(
                      """
                      route:
                        receiver: a
                        routes: [{receiver: a, escalate_after: %s}]
                      receivers: [{name: a}]
                      """
                          .formatted(bad)))
          .as(bad)
          .isInstanceOf(InvalidRoutingConfigException.class)
          .hasMessageContaining("route.routes[0].escalate_after");
    }
  }

  @Test
  void theExampleFilePagesAtTheThirdFailingVerdictOfAComponent() throws Exception {
    RoutingConfig config =
        RoutingConfigLoader.load(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("../../examples/notifier/escalation.yaml")));
    Driver example = new Driver(config, T0);
    for (String rollout : List.of("r1", "r2", "r3")) {
      java.util.Map<String, String> labels = new java.util.TreeMap<>(failure(rollout));
      labels.put("severity", "critical");
      example.fire(labels);
      example.runFor(Duration.ofMinutes(5));
    }
    assertThat(example.sent)
        .extracting(Notification::receiver)
        .containsOnlyOnce("on-call-pushover")
        .startsWith("team-ntfy", "team-ntfy");
    assertThat(example.sent).extracting(Notification::receiver).contains("team-ntfy");
  }

  private static java.util.Map<String, String> failure(String rollout) {
    return labels(
        "alertname",
        "StackpilotComponentVerified",
        "cluster",
        "hub",
        "component",
        "loki",
        "health",
        "DEGRADED",
        "rollout",
        rollout);
  }

  private static List<String> receivers(List<Notification> sent) {
    return sent.stream().map(Notification::receiver).toList();
  }

  private static Notification only(List<Notification> sent, String receiver) {
    List<Notification> of = sent.stream().filter(n -> n.receiver().equals(receiver)).toList();
    assertThat(of).as("notifications to %s in %s", receiver, sent).hasSize(1);
    return of.get(0);
  }
}
