package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partition's groups rebuilt from what Kafka holds (its routed alerts and its notification log),
 * as a new owner rebuilds them after a restart or a rebalance: what was sent is not sent again, a
 * resolve not yet sent is, and repeat_interval counts from the logged send.
 */
class GroupStateTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final RoutingConfig CONFIG =
      RoutingConfigLoader.load(
          """
          route:
            receiver: ops
            group_by: [alertname]
            group_wait: 1s
            group_interval: 2s
            repeat_interval: 1h
          receivers:
            - name: ops
          """);
  static final String GROUP = "{}:{alertname=\"Down\"}";
  static final Map<String, String> LABELS = Map.of("alertname", "Down", "cluster", "c1");
  static final String FINGERPRINT =
      new SourcedAlert(null, null, null, LABELS, 0, null, null).fingerprint();

  final MovingClock clock = new MovingClock(T0);

  static SourcedAlert alert(Instant endsAt) {
    return new SourcedAlert(
        "route",
        "ops",
        GROUP,
        LABELS,
        T0.minusSeconds(600).toEpochMilli(),
        endsAt == null ? null : endsAt.toEpochMilli(),
        new SourcedAlert.Cause("e1", "AlertStatusChanged", "alerts", "c1", null, "prom", 0));
  }

  static LogEntry sent(Set<String> firing, Set<String> resolved, Instant at, long offset) {
    return new LogEntry(
        "ops",
        GROUP,
        "webhook/0",
        LogEntry.SENT,
        "id",
        1,
        firing,
        resolved,
        at.toEpochMilli(),
        offset,
        Map.of(),
        List.of(),
        List.of(),
        null);
  }

  GroupState owner(LogEntry logged, SourcedAlert... alerts) {
    GroupState state = new GroupState(0, 1, clock);
    state.putLog(InternalTopics.logKey("ops", GROUP, "webhook/0"), logged);
    for (int i = 0; i < alerts.length; i++) {
      state.apply(alerts[i], i);
    }
    state.rebuild(CONFIG);
    return state;
  }

  List<Notification> flushFor(GroupState state, Duration duration) {
    List<Notification> out = new java.util.ArrayList<>();
    for (Duration t = Duration.ZERO; t.compareTo(duration) <= 0; t = t.plusSeconds(1)) {
      out.addAll(state.flushDue());
      clock.advance(Duration.ofSeconds(1));
    }
    return out;
  }

  @Test
  void aFiringAlreadySentIsNotSentAgainByTheNextOwner() {
    GroupState next =
        owner(sent(Set.of(FINGERPRINT), Set.of(), T0.minusSeconds(30), 0), alert(null));

    assertThat(flushFor(next, Duration.ofSeconds(10))).isEmpty();
  }

  @Test
  void aResolveThatCameWhileNoOwnerRanIsSentAfterItsFiring() {
    GroupState next =
        owner(
            sent(Set.of(FINGERPRINT), Set.of(), T0.minusSeconds(30), 0),
            alert(null),
            alert(T0.minusSeconds(5)));

    List<Notification> sent = flushFor(next, Duration.ofSeconds(10));

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).firing()).isEmpty();
    assertThat(sent.get(0).resolved())
        .extracting(a -> a.fingerprint())
        .containsExactly(FINGERPRINT);
  }

  @Test
  void aResolveAFlushHadAlreadySeenIsNotSentAgain() {
    // Down/c1 resolved and was notified; the last notification (offset 2) was about Down/c2 only
    Map<String, String> other = Map.of("alertname", "Down", "cluster", "c2");
    SourcedAlert c2 = alert(null).routedTo("route", "ops", GROUP);
    c2 = new SourcedAlert("route", "ops", GROUP, other, c2.startsAt(), null, c2.cause());
    GroupState next =
        owner(
            sent(Set.of(c2.fingerprint()), Set.of(), T0.minusSeconds(30), 2),
            alert(null),
            alert(T0.minusSeconds(60)),
            c2);

    assertThat(flushFor(next, Duration.ofSeconds(10))).isEmpty();
  }

  @Test
  void repeatIntervalCountsFromTheLoggedSendNotFromTheRebuild() {
    Instant lastSent = T0.minus(Duration.ofMinutes(59));
    GroupState next = owner(sent(Set.of(FINGERPRINT), Set.of(), lastSent, 0), alert(null));

    assertThat(flushFor(next, Duration.ofSeconds(50))).isEmpty();
    List<Notification> repeated = flushFor(next, Duration.ofSeconds(20));

    assertThat(repeated).hasSize(1);
    assertThat(repeated.get(0).at()).isAfter(lastSent.plus(Duration.ofHours(1)));
    assertThat(repeated.get(0).at()).isBefore(lastSent.plus(Duration.ofHours(1)).plusSeconds(3));
  }
}
