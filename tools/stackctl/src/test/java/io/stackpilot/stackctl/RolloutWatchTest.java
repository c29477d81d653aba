package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.Channel;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepApplied;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How a watch settles: on the rollout's terminal transition from stackpilot.rollout-status, with
 * one printed line per transition and per other event. The events are handed to the tracker as the
 * feed would hand them after reading the topics; no broker.
 */
class RolloutWatchTest {
  private static final String ROLLOUT = "r-1";

  private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
  private final RolloutTracker tracker =
      new RolloutTracker(new PrintStream(lines, true, StandardCharsets.UTF_8));
  private final StringWriter summary = new StringWriter();

  RolloutWatchTest() {
    tracker.watch(ROLLOUT);
  }

  @Test
  void aCompletedRolloutSettlesZeroWithOneLinePerTransition() throws Exception {
    tracker.accept(status(ROLLOUT, RolloutTransition.STARTED, RolloutPhase.PROGRESSING, null, 0));
    tracker.accept(applied(ROLLOUT, "foundation", "loki"));
    tracker.accept(verified(ROLLOUT, "foundation", "loki", HealthStatus.HEALTHY));
    tracker.accept(notified(ROLLOUT));
    tracker.accept(
        status(ROLLOUT, RolloutTransition.WAVE_PROMOTED, RolloutPhase.PROGRESSING, 0, 1));
    tracker.accept(status(ROLLOUT, RolloutTransition.COMPLETED, RolloutPhase.COMPLETED, null, 1));

    int code = settle(Duration.ofSeconds(5));

    assertThat(code).isZero();
    assertThat(printed())
        .anyMatch(l -> l.contains("RolloutStatusChanged") && l.contains("STARTED -> PROGRESSING"))
        .anyMatch(
            l ->
                l.contains("WAVE_PROMOTED -> PROGRESSING  wave 0 [foundation]: because")
                    && l.endsWith("(1/1 applied, 1 healthy, 0 failed)"))
        .anyMatch(l -> l.contains("COMPLETED -> COMPLETED"))
        .anyMatch(l -> l.contains("StepApplied") && l.contains("loki"))
        .anyMatch(l -> l.contains("NotificationSent"));
    assertThat(summary.toString())
        .isEqualTo(
            "DONE: 1/1 steps applied, 0 failed, unhealthy [], 1 notifications sent"
                + " (COMPLETED: because)\n");
  }

  @Test
  void everyOtherTerminalPhaseSettlesFour() throws Exception {
    for (RolloutPhase phase :
        List.of(
            RolloutPhase.HALTED,
            RolloutPhase.ROLLED_BACK,
            RolloutPhase.ABORTED,
            RolloutPhase.REJECTED)) {
      String id = "r-" + phase;
      RolloutTracker t = new RolloutTracker(new PrintStream(new ByteArrayOutputStream()));
      t.watch(id);
      t.accept(status(id, RolloutTransition.OTHER, phase, null, 0));
      StringWriter out = new StringWriter();
      int code = RolloutCommand.Watch.settle(t, id, Duration.ofSeconds(5), new PrintWriter(out));
      assertThat(code).as(phase.name()).isEqualTo(ExitCode.FAILED);
      assertThat(out.toString()).startsWith(phase.name() + ": ");
    }
  }

  @Test
  void aPauseIsNotTheEndAndUnhealthyComponentsAreNamed() throws Exception {
    tracker.accept(verified(ROLLOUT, "perso", "loki", HealthStatus.PROGRESSING));
    tracker.accept(verified(ROLLOUT, "perso", "tempo", HealthStatus.PROGRESSING));
    tracker.accept(verified(ROLLOUT, "perso", "tempo", HealthStatus.HEALTHY));
    tracker.accept(status(ROLLOUT, RolloutTransition.PAUSED, RolloutPhase.PAUSED, null, 0));

    int code = settle(Duration.ofMillis(50));

    assertThat(code).isEqualTo(ExitCode.TIMEOUT);
    assertThat(summary.toString())
        .startsWith("TIMED OUT: 0/1 steps applied, 0 failed, unhealthy [perso/loki], ")
        .contains("still PAUSED after PT0.05S");
  }

  @Test
  void aTerminalTransitionArrivingWhileWaitingSettlesIt() throws Exception {
    Thread feed =
        new Thread(
            () -> {
              tracker.accept(
                  status(ROLLOUT, RolloutTransition.WAVE_FAILED, RolloutPhase.ROLLING_BACK, 1, 0));
              tracker.accept(
                  status(ROLLOUT, RolloutTransition.ROLLED_BACK, RolloutPhase.ROLLED_BACK, 1, 0));
            });
    feed.start();

    int code = settle(Duration.ofSeconds(10));
    feed.join();

    assertThat(code).isEqualTo(ExitCode.FAILED);
    assertThat(summary.toString()).startsWith("ROLLED_BACK: ");
  }

  @Test
  void otherRolloutsAndRepeatedEventsAreIgnored() throws Exception {
    RolloutStatusChanged completed =
        status(ROLLOUT, RolloutTransition.COMPLETED, RolloutPhase.COMPLETED, null, 1);
    assertThat(
            tracker.accept(
                status("other", RolloutTransition.ABORTED, RolloutPhase.ABORTED, null, 0)))
        .isFalse();
    assertThat(tracker.accept(completed)).isTrue();
    assertThat(tracker.accept(completed)).isFalse();

    assertThat(tracker.count(RolloutStatusChanged.class)).isEqualTo(1);
    assertThat(tracker.ending("other")).isEmpty();
    assertThat(settle(Duration.ofSeconds(5))).isZero();
  }

  @Test
  void noStatusAtAllTimesOut() throws Exception {
    assertThat(settle(Duration.ofMillis(20))).isEqualTo(ExitCode.TIMEOUT);
    assertThat(summary.toString()).contains("no status of the rollout read within PT0.02S");
  }

  private int settle(Duration timeout) throws InterruptedException {
    return RolloutCommand.Watch.settle(tracker, ROLLOUT, timeout, new PrintWriter(summary, true));
  }

  private List<String> printed() {
    return lines.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static EventEnvelope envelope(String rollout, String cluster, String producer) {
    return EventEnvelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.parse("2026-11-21T10:00:00Z"))
        .setActor("service:" + producer)
        .setCluster(cluster)
        .setCorrelationId(rollout)
        .setProducer(producer)
        .build();
  }

  static RolloutStatusChanged status(
      String rollout, RolloutTransition transition, RolloutPhase phase, Integer wave, int done) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(envelope(rollout, null, "planner"))
        .setStackName("lgtm")
        .setTransition(transition)
        .setPhase(phase)
        .setWaveIndex(wave)
        .setClusters(wave == null ? List.of() : List.of("foundation"))
        .setReason("because")
        .setProgress(
            RolloutProgress.newBuilder()
                .setWavesTotal(1)
                .setWavesPromoted(done)
                .setStepsTotal(1)
                .setStepsRequested(done)
                .setStepsApplied(done)
                .setStepsHealthy(done)
                .setStepsFailed(0)
                .build())
        .build();
  }

  private static StepApplied applied(String rollout, String cluster, String component) {
    return StepApplied.newBuilder()
        .setEnvelope(envelope(rollout, cluster, "applier"))
        .setStepId(rollout + "/" + cluster + "/" + component)
        .setComponent(component)
        .setDigest("sha256:abc")
        .setResources(List.of())
        .setDurationMillis(12)
        .build();
  }

  private static ComponentVerified verified(
      String rollout, String cluster, String component, HealthStatus health) {
    return ComponentVerified.newBuilder()
        .setEnvelope(envelope(rollout, cluster, "verifier"))
        .setComponent(component)
        .setHealth(health)
        .setReason("checked")
        .build();
  }

  private static NotificationSent notified(String rollout) {
    return NotificationSent.newBuilder()
        .setEnvelope(envelope(rollout, "foundation", "notifier"))
        .setReceiver("webhook")
        .setChannel(Channel.values()[0])
        .setGroupKey("k")
        .setState("HEALTHY")
        .setAttempt(1)
        .setSubjectEventIds(List.of())
        .setResponseStatus(200)
        .build();
  }
}
