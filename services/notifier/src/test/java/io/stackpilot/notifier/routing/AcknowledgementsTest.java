package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged group stops repeating to its receiver while its acknowledged alerts fire; their
 * resolution is still sent, a new alert of the group is still sent, and the same labels firing
 * again later (a new startsAt) are not acknowledged.
 */
class AcknowledgementsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final String CONFIG =
      "route: {receiver: pager, group_by: [alertname], group_wait: 10s, group_interval: 1m,"
          + " repeat_interval: 5m}\nreceivers: [{name: pager}]\n";

  @Test
  void anAcknowledgedAlertStopsRepeatingUntilItResolves() {
    Driver d = new Driver(RoutingConfigLoader.load(CONFIG), T0);
    Alert disk = d.fire(labels("alertname", "DiskFull", "instance", "a"));
    List<Notification> first = d.runFor(Duration.ofSeconds(30));
    assertThat(first).hasSize(1);
    String group = first.get(0).groupKey();

    d.silences.acknowledge("pager", group, Map.of(disk.fingerprint(), disk.startsAt()));
    assertThat(d.runFor(Duration.ofMinutes(30))).as("no repeat while acknowledged").isEmpty();
    assertThat(d.silences.isAcknowledged("other", group, disk, d.now()))
        .as("only for the receiver that was paged")
        .isFalse();

    Alert second = d.fire(labels("alertname", "DiskFull", "instance", "b"));
    List<Notification> withNew = d.runFor(Duration.ofMinutes(2));
    assertThat(withNew).hasSize(1);
    assertThat(withNew.get(0).firing()).containsExactly(second);

    d.resolve(disk);
    d.resolve(second);
    List<Notification> resolved = d.runFor(Duration.ofMinutes(2));
    assertThat(d.silences.acknowledgedCount()).as("forgotten once resolved").isZero();
    assertThat(resolved).hasSize(1);
    assertThat(resolved.get(0).firing()).isEmpty();
    assertThat(resolved.get(0).resolved()).hasSize(2);

    Alert again = d.fire(labels("alertname", "DiskFull", "instance", "a"));
    assertThat(again.fingerprint()).isEqualTo(disk.fingerprint());
    assertThat(d.runFor(Duration.ofMinutes(2)))
        .as("the same labels firing again are a new page")
        .hasSize(1);
  }

  @Test
  void acknowledgementsOfAlertsThatStartedBeyondTheRetentionAreForgotten() {
    Silences silences = new Silences();
    Alert old = Alert.firing(labels("alertname", "Old"), T0);
    Alert recent = Alert.firing(labels("alertname", "Recent"), T0.plus(Duration.ofHours(100)));
    silences.acknowledge("pager", "g", Map.of(old.fingerprint(), old.startsAt()));
    silences.acknowledge("pager", "g", Map.of(recent.fingerprint(), recent.startsAt()));
    Instant later = T0.plus(Silences.RETENTION).plusSeconds(1);
    assertThat(silences.isAcknowledged("pager", "g", recent, later)).isTrue();
    assertThat(silences.isAcknowledged("pager", "g", old, later)).isFalse();
    assertThat(silences.acknowledgedCount()).isEqualTo(1);
  }
}
