package io.stackpilot.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.stackctl.RolloutTracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The local run ends on the rollout's terminal status: DONE only when it COMPLETED. */
class LocalPlatformTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
  private final RolloutTracker tracker = new RolloutTracker(out);
  private final LocalPlatform.Up.Declared declared = new LocalPlatform.Up.Declared("r-1", 15);

  LocalPlatformTest() {
    tracker.watch("r-1");
  }

  @Test
  void aCompletedRolloutIsDone() throws Exception {
    tracker.accept(status(RolloutPhase.COMPLETED, 15));

    boolean done = LocalPlatform.Up.follow(tracker, declared, Duration.ofSeconds(5), () -> 15, out);

    assertThat(done).isTrue();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains(
            "DONE rollout r-1: 0/15 steps applied, 0 failed, 0 verified, 0 notifications sent,"
                + " 15 webhooks received")
        .contains("phase COMPLETED: the end");
  }

  @Test
  void anyOtherEndIsIncomplete() throws Exception {
    tracker.accept(status(RolloutPhase.HALTED, 5));

    boolean done = LocalPlatform.Up.follow(tracker, declared, Duration.ofSeconds(5), () -> 0, out);

    assertThat(done).isFalse();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("INCOMPLETE rollout r-1: 0/15 steps applied")
        .contains("phase HALTED: the end");
  }

  @Test
  void noEndInTimeIsIncomplete() throws Exception {
    tracker.accept(status(RolloutPhase.GATING, 5));

    boolean done = LocalPlatform.Up.follow(tracker, declared, Duration.ofMillis(20), () -> 0, out);

    assertThat(done).isFalse();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("INCOMPLETE rollout r-1")
        .contains("no terminal phase within PT0.02S (still GATING)");
  }

  private static RolloutStatusChanged status(RolloutPhase phase, int applied) {
    return RolloutStatusChanged.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setActor("service:planner")
                .setCorrelationId("r-1")
                .setProducer("planner")
                .build())
        .setStackName("lgtm")
        .setTransition(RolloutTransition.OTHER)
        .setPhase(phase)
        .setClusters(List.of())
        .setReason("the end")
        .setProgress(
            RolloutProgress.newBuilder()
                .setWavesTotal(2)
                .setWavesPromoted(1)
                .setStepsTotal(15)
                .setStepsRequested(applied)
                .setStepsApplied(applied)
                .setStepsHealthy(applied)
                .setStepsFailed(0)
                .build())
        .build();
  }
}
