package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static io.stackpilot.notifier.routing.Driver.alertnames;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's tree: critical to Pushover priority 1 at any hour, warning to Pushover priority 0
 * muted in quiet hours (22:00-07:00 Toronto), Watchdog to the null receiver; critical inhibits the
 * same warning.
 */
class Seed002RoutingTest {

  private static final RoutingConfig CONFIG = Configs.load("seed-002.yaml");
  // 10:00 and 23:00 in Toronto (EST, UTC-5).
  private static final Instant DAY = Instant.parse("2026-01-15T15:00:00Z");
  private static final Instant NIGHT = Instant.parse("2026-01-16T04:00:00Z");

  private static Map<String, String> alert(String name, String severity, String namespace) {
    return labels(
        "alertname", name, "severity", severity, "cluster", "perso", "namespace", namespace);
  }

  @Test
  void routesEachSeverityToItsReceiverWithItsPriority() {
    Route tree = CONFIG.route();
    Route critical = tree.match(alert("KubePodCrashLooping", "critical", "loki")).get(0);
    Route warning = tree.match(alert("KubeDeploymentReplicasMismatch", "warning", "loki")).get(0);
    List<Route> watchdog = tree.match(labels("alertname", "Watchdog", "severity", "none"));
    assertThat(critical.receiver()).isEqualTo("pushover-critical");
    assertThat(warning.receiver()).isEqualTo("pushover-warning");
    assertThat(watchdog).extracting(Route::receiver).containsExactly("null");
    assertThat(priority("pushover-critical")).isEqualTo("1");
    assertThat(priority("pushover-warning")).isEqualTo("0");
    assertThat(critical.muteTimeIntervals()).isEmpty();
    assertThat(warning.muteTimeIntervals()).containsExactly("quiet-hours");
  }

  @SuppressWarnings("unchecked")
  private static Object priority(String receiver) {
    List<Map<String, Object>> pushover =
        (List<Map<String, Object>>)
            CONFIG.receivers().get(receiver).settings().get("pushover_configs");
    return pushover.get(0).get("priority");
  }

  @Test
  void inQuietHoursOnlyCriticalIsSentAndWarningGoesOutWhenTheyEnd() {
    Driver d = new Driver(CONFIG, NIGHT);
    d.fire(alert("NodeFilesystemSpaceFillingUp", "critical", "monitoring"));
    d.fire(alert("CertManagerCertExpirySoon", "warning", "cert-manager"));
    List<Notification> night = d.runFor(Duration.ofHours(1));
    assertThat(night).extracting(Notification::receiver).containsExactly("pushover-critical");
    // Quiet hours end at 07:00 Toronto = 12:00Z; the warning group's next tick after that sends.
    List<Notification> untilMorning = d.runUntil(Instant.parse("2026-01-16T12:05:00Z"));
    List<Notification> warnings =
        untilMorning.stream().filter(n -> n.receiver().equals("pushover-warning")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).at()).isAfterOrEqualTo(Instant.parse("2026-01-16T12:00:00Z"));
    assertThat(alertnames(warnings.get(0).firing())).containsExactly("CertManagerCertExpirySoon");
    // Critical ignores quiet hours: still firing, it was repeated after repeat_interval (4h).
    assertThat(untilMorning)
        .filteredOn(n -> n.receiver().equals("pushover-critical"))
        .extracting(Notification::at)
        .containsExactly(Instant.parse("2026-01-16T08:05:30Z"));
  }

  @Test
  void inTheDayWarningIsSentAfterGroupWait() {
    Driver d = new Driver(CONFIG, DAY);
    d.fire(alert("KubeDeploymentReplicasMismatch", "warning", "loki"));
    List<Notification> n = d.runFor(Duration.ofSeconds(30));
    assertThat(n).extracting(Notification::receiver).containsExactly("pushover-warning");
  }

  @Test
  void watchdogGoesToTheNullReceiverOnly() {
    Driver d = new Driver(CONFIG, DAY);
    d.fire(labels("alertname", "Watchdog", "severity", "none"));
    assertThat(d.runFor(Duration.ofMinutes(1)))
        .extracting(Notification::receiver)
        .containsExactly("null");
  }

  @Test
  void criticalInhibitsTheSameWarningUntilItResolves() {
    Driver d = new Driver(CONFIG, DAY);
    Alert critical = d.fire(alert("NodeFilesystemSpaceFillingUp", "critical", "monitoring"));
    d.fire(alert("NodeFilesystemSpaceFillingUp", "warning", "monitoring"));
    d.fire(alert("NodeFilesystemSpaceFillingUp", "warning", "loki"));
    List<Notification> first = d.runFor(Duration.ofSeconds(30));
    assertThat(first).hasSize(2);
    Notification warnMonitoring = forGroup(first, "monitoring", "pushover-warning");
    assertThat(warnMonitoring).as("inhibited: same alertname, cluster, namespace").isNull();
    assertThat(forGroup(first, "loki", "pushover-warning")).as("other namespace").isNotNull();
    assertThat(forGroup(first, "monitoring", "pushover-critical")).isNotNull();
    d.runFor(Duration.ofMinutes(2));
    d.resolve(critical);
    List<Notification> after = d.runFor(Duration.ofMinutes(5));
    assertThat(forGroup(after, "monitoring", "pushover-warning"))
        .as("the warning goes out once its critical is resolved")
        .isNotNull();
    assertThat(forGroup(after, "monitoring", "pushover-critical").resolved()).hasSize(1);
  }

  @Test
  void equalLabelsAbsentOnBothSidesCountAsEqual() {
    Driver d = new Driver(CONFIG, DAY);
    d.fire(labels("alertname", "TargetDown", "severity", "critical"));
    d.fire(labels("alertname", "TargetDown", "severity", "warning"));
    assertThat(d.runFor(Duration.ofSeconds(30)))
        .extracting(Notification::receiver)
        .containsExactly("pushover-critical");
  }

  private static Notification forGroup(List<Notification> ns, String namespace, String receiver) {
    return ns.stream()
        .filter(n -> n.receiver().equals(receiver))
        .filter(n -> namespace.equals(n.groupLabels().get("namespace")))
        .findFirst()
        .orElse(null);
  }
}
