package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static io.stackpilot.notifier.routing.Driver.alertnames;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Aggregation groups flush as Alertmanager's do: first after group_wait, then every group_interval
 * when something changed, unchanged firing alerts again after repeat_interval, resolved alerts once
 * and then out of the group.
 */
class GroupingTimersTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final String CONFIG =
      """
      route:
        receiver: team
        group_by: [cluster]
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 4h
      receivers: [{name: team}]
      """;

  private final Driver d = new Driver(RoutingConfigLoader.load(CONFIG), T0);

  @Test
  void firstFlushWaitsForGroupWaitAndBatchesWhatArrivedMeanwhile() {
    d.fire(labels("alertname", "A", "cluster", "perso"));
    assertThat(d.runFor(Duration.ofSeconds(20))).isEmpty();
    d.fire(labels("alertname", "B", "cluster", "perso"));
    assertThat(d.runUntil(T0.plusSeconds(29))).isEmpty();
    List<Notification> first = d.runUntil(T0.plusSeconds(30));
    assertThat(first).hasSize(1);
    assertThat(first.get(0).at()).isEqualTo(T0.plusSeconds(30));
    assertThat(first.get(0).receiver()).isEqualTo("team");
    assertThat(first.get(0).groupKey()).isEqualTo("{}:{cluster=\"perso\"}");
    assertThat(alertnames(first.get(0).firing())).containsExactly("A", "B");
  }

  @Test
  void changesWaitForTheNextGroupIntervalAndNothingIsSentWhenNothingChanged() {
    d.fire(labels("alertname", "A", "cluster", "perso"));
    d.runUntil(T0.plusSeconds(30));
    d.clock.set(T0.plusSeconds(60));
    d.fire(labels("alertname", "B", "cluster", "perso"));
    assertThat(d.runUntil(T0.plus(Duration.ofSeconds(5 * 60 + 29)))).isEmpty();
    List<Notification> second = d.runUntil(T0.plus(Duration.ofSeconds(5 * 60 + 30)));
    assertThat(second).hasSize(1);
    assertThat(alertnames(second.get(0).firing())).containsExactly("A", "B");
    // Nothing changes for the next three group intervals: nothing is sent.
    assertThat(d.runFor(Duration.ofMinutes(15))).isEmpty();
  }

  @Test
  void unchangedFiringAlertsAreRepeatedAfterRepeatIntervalOnAGroupIntervalTick() {
    d.fire(labels("alertname", "A", "cluster", "perso"));
    assertThat(d.runUntil(T0.plusSeconds(30))).hasSize(1);
    // Flush ticks are at 30s + k*5m. The tick at exactly 4h after the last send is not yet past
    // repeat_interval (Alertmanager compares strictly), so the repeat goes at the next tick.
    Instant exactly = T0.plusSeconds(30).plus(Duration.ofHours(4));
    assertThat(d.runUntil(exactly)).isEmpty();
    List<Notification> repeat = d.runUntil(exactly.plus(Duration.ofMinutes(5)));
    assertThat(repeat).hasSize(1);
    assertThat(repeat.get(0).at()).isEqualTo(exactly.plus(Duration.ofMinutes(5)));
    assertThat(alertnames(repeat.get(0).firing())).containsExactly("A");
  }

  @Test
  void resolvedAlertsAreNotifiedOnceThenLeaveTheGroup() {
    Alert a = d.fire(labels("alertname", "A", "cluster", "perso"));
    Alert b = d.fire(labels("alertname", "B", "cluster", "perso"));
    d.runUntil(T0.plusSeconds(30));
    d.clock.set(T0.plus(Duration.ofMinutes(2)));
    d.resolve(a);
    List<Notification> n = d.runUntil(T0.plus(Duration.ofSeconds(5 * 60 + 30)));
    assertThat(n).hasSize(1);
    assertThat(alertnames(n.get(0).firing())).containsExactly("B");
    assertThat(alertnames(n.get(0).resolved())).containsExactly("A");
    assertThat(d.runFor(Duration.ofMinutes(10))).as("A is not resolved twice").isEmpty();
    d.resolve(b);
    List<Notification> last = d.runFor(Duration.ofMinutes(5));
    assertThat(last).hasSize(1);
    assertThat(last.get(0).firing()).isEmpty();
    assertThat(alertnames(last.get(0).resolved())).containsExactly("B");
    assertThat(d.dispatcher.groupKeys()).as("the empty group is gone").isEmpty();
    assertThat(d.dispatcher.nextFlushAt()).isEmpty();
  }

  @Test
  void anAlertOlderThanGroupWaitFlushesANewGroupAtOnce() {
    d.dispatcher.receive(
        Alert.firing(labels("alertname", "Old", "cluster", "perso"), T0.minusSeconds(600)));
    List<Notification> n = d.dispatcher.flushDue();
    assertThat(n).hasSize(1);
    assertThat(n.get(0).at()).isEqualTo(T0);
  }

  @Test
  void groupsAreSeparatePerGroupByValue() {
    d.fire(labels("alertname", "A", "cluster", "perso"));
    d.fire(labels("alertname", "A", "cluster", "foundation"));
    List<Notification> n = d.runUntil(T0.plusSeconds(30));
    assertThat(n)
        .extracting(Notification::groupKey)
        .containsExactlyInAnyOrder("{}:{cluster=\"perso\"}", "{}:{cluster=\"foundation\"}");
  }

  @Test
  void aResolvedAlertNeverNotifiedIsDroppedSilently() {
    Alert a = d.fire(labels("alertname", "A", "cluster", "perso"));
    d.clock.set(T0.plusSeconds(10));
    d.resolve(a);
    assertThat(d.runFor(Duration.ofHours(1))).isEmpty();
    assertThat(d.dispatcher.groupKeys()).isEmpty();
  }
}
