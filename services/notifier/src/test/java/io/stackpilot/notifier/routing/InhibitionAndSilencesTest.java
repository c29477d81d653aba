package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Inhibition's edge cases from inhibit.go, and silences muting only while active. */
class InhibitionAndSilencesTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void anAlertMatchingBothSidesDoesNotInhibitItselfNorItsTwin() {
    InhibitRule rule =
        new InhibitRule(
            List.of(LabelMatcher.parse("alertname=\"Down\"")),
            List.of(LabelMatcher.parse("alertname=\"Down\"")),
            Set.of("cluster"));
    Inhibitor inhibitor = new Inhibitor(List.of(rule));
    Alert a = Alert.firing(labels("alertname", "Down", "cluster", "x", "i", "1"), T0);
    Alert b = Alert.firing(labels("alertname", "Down", "cluster", "x", "i", "2"), T0);
    assertThat(inhibitor.isInhibited(a.labels(), List.of(a), T0)).isFalse();
    assertThat(inhibitor.isInhibited(a.labels(), List.of(a, b), T0)).isFalse();
  }

  @Test
  void onlyFiringSourcesWithEqualLabelsInhibit() {
    InhibitRule rule =
        new InhibitRule(
            List.of(LabelMatcher.parse("severity=\"critical\"")),
            List.of(LabelMatcher.parse("severity=\"warning\"")),
            Set.of("cluster"));
    Inhibitor inhibitor = new Inhibitor(List.of(rule));
    var target = labels("severity", "warning", "cluster", "x");
    Alert source = Alert.firing(labels("severity", "critical", "cluster", "x"), T0);
    Alert elsewhere = Alert.firing(labels("severity", "critical", "cluster", "y"), T0);
    assertThat(inhibitor.isInhibited(target, List.of(source), T0)).isTrue();
    assertThat(inhibitor.isInhibited(target, List.of(elsewhere), T0)).isFalse();
    assertThat(inhibitor.isInhibited(target, List.of(source.resolved(T0)), T0)).isFalse();
    assertThat(inhibitor.isInhibited(target, List.of(source.resolved(T0.plusSeconds(60))), T0))
        .as("an end in the future is still firing")
        .isTrue();
  }

  @Test
  void aSilenceMutesWhileActiveAndStopsWhenItExpires() {
    Driver d =
        new Driver(
            RoutingConfigLoader.load(
                "route: {receiver: team, group_wait: 30s, group_interval: 5m}\n"
                    + "receivers: [{name: team}]\n"),
            T0);
    d.silences.put(
        new Silence(
            "s1",
            List.of(LabelMatcher.parse("alertname=~\"Disk.*\"")),
            T0,
            T0.plus(Duration.ofHours(1)),
            "user:alice",
            "disk replacement"));
    d.fire(labels("alertname", "DiskFull"));
    d.fire(labels("alertname", "CPUHigh"));
    List<Notification> during = d.runFor(Duration.ofMinutes(30));
    assertThat(during).hasSize(1);
    assertThat(Driver.alertnames(during.get(0).firing())).containsExactly("CPUHigh");
    List<Notification> after = d.runUntil(T0.plus(Duration.ofMinutes(65)));
    assertThat(after).hasSize(1);
    assertThat(after.get(0).at()).isAfterOrEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(Driver.alertnames(after.get(0).firing())).containsExactly("CPUHigh", "DiskFull");
  }

  @Test
  void expiringASilenceEndsItNowAndAPendingOneNeverStarts() {
    Silences silences = new Silences();
    var matchers = List.of(LabelMatcher.parse("alertname=\"X\""));
    silences.put(new Silence("a", matchers, T0, T0.plusSeconds(3600), "u", "c"));
    silences.put(new Silence("p", matchers, T0.plusSeconds(600), T0.plusSeconds(3600), "u", "c"));
    assertThat(silences.isSilenced(labels("alertname", "X"), T0)).isTrue();
    assertThat(silences.expire("a", T0.plusSeconds(60))).isTrue();
    assertThat(silences.expire("p", T0.plusSeconds(60))).isTrue();
    assertThat(silences.isSilenced(labels("alertname", "X"), T0.plusSeconds(60))).isFalse();
    assertThat(silences.isSilenced(labels("alertname", "X"), T0.plusSeconds(900))).isFalse();
    assertThat(silences.expire("a", T0.plusSeconds(120))).isFalse();
  }

  @Test
  void silencesExpiredBeyondTheRetentionAreForgotten() {
    Silences silences = new Silences();
    var matchers = List.of(LabelMatcher.parse("alertname=\"X\""));
    silences.put(new Silence("old", matchers, T0, T0.plusSeconds(60), "u", "c"));
    silences.put(new Silence("recent", matchers, T0, T0.plus(Silences.RETENTION), "u", "c"));
    Instant now = T0.plusSeconds(60).plus(Silences.RETENTION).plusSeconds(1);

    assertThat(silences.silencing(labels("alertname", "X"), now)).isEmpty();
    assertThat(silences.all()).extracting(Silence::id).containsExactly("recent");
  }

  @Test
  void aSilenceMustNotMatchEverything() {
    assertThatThrownBy(
            () -> new Silence("x", List.of(LabelMatcher.parse("a=~\".*\"")), T0, T0, "u", "c"))
        .hasMessageContaining("empty string");
  }
}
