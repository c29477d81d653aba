package io.stackpilot.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.StepAction;
import io.stackpilot.history.FleetState.ComponentState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The fold: what state a recorded log gives, at its end and at any point of it. */
class StateFoldTest {
  private final Scenario run = Scenario.rollbackRun();
  private final FleetHistory history = new FleetHistory(run.events);

  @Test
  void aRolledBackUpgradeLeavesTheEarlierChartAndDigestWithTheGateAndPhaseThatDecidedIt() {
    FleetState state = history.state();

    ComponentState loki = state.clusters().get("c1").stacks().get("lgtm").get("loki");
    assertThat(loki.installed()).isTrue();
    assertThat(loki.chartVersion()).isEqualTo("1.0");
    assertThat(loki.digest()).isEqualTo("d1");
    assertThat(loki.deployedBy()).isEqualTo("r2/c1/loki/rollback");
    assertThat(loki.lastStep().action()).isEqualTo("ROLL_BACK");
    assertThat(loki.lastStep().outcome()).isEqualTo("APPLIED");
    assertThat(loki.health().status()).isEqualTo("HEALTHY");
    assertThat(state.clusters().get("c1").latestGate().decision()).isEqualTo("ROLL_BACK");
    assertThat(state.clusters().get("c1").latestGate().rolloutId()).isEqualTo("r2");
    assertThat(state.clusters().get("c1").openAlerts()).isEmpty();
    assertThat(state.stacks().get("lgtm").phase()).isEqualTo("ROLLED_BACK");
    assertThat(state.stacks().get("lgtm").specRevision()).isEqualTo("sha256:rev2");
    assertThat(state.stacks().get("lgtm").declaredBy()).isEqualTo("user:bob");
    assertThat(state.events()).isEqualTo(run.events.size());
  }

  @Test
  void theStateAtAnInstantHoldsWhatHadHappenedByThen() {
    // after r2's apply (event 8) and its alert (9), before the gate (10)
    FleetState during = history.stateAt(Scenario.T0.plusSeconds(8));

    ComponentState loki = during.clusters().get("c1").stacks().get("lgtm").get("loki");
    assertThat(loki.chartVersion()).isEqualTo("2.0");
    assertThat(loki.digest()).isEqualTo("d2");
    assertThat(loki.health().digest()).as("verified revision 1 only").isEqualTo("d1");
    assertThat(during.clusters().get("c1").latestGate()).isNull();
    assertThat(during.clusters().get("c1").openAlerts()).containsOnlyKeys("fp-1");
    assertThat(during.stacks().get("lgtm").phase()).isEqualTo("COMPLETED");
    assertThat(during.events()).isEqualTo(9);

    assertThat(history.stateAt(Scenario.T0.minusSeconds(1)).clusters()).isEmpty();
  }

  @Test
  void theStateAtACutOfTheLogIsTheFoldOfTheEventsBelowIt() {
    // per topic: the first event of each partition only
    Map<TopicPartition, Long> cut = new java.util.HashMap<>();
    for (RecordedEvent e : run.events) {
      cut.putIfAbsent(e.topicPartition(), 1L);
    }
    List<RecordedEvent> below = run.events.stream().filter(e -> e.offset() < 1).toList();

    assertThat(history.stateAt(cut).canonicalJson())
        .isEqualTo(StateFold.of(below).state().canonicalJson());
    assertThat(history.stateAt(cut).clusters().get("c1").stacks().get("lgtm").get("loki").digest())
        .isEqualTo("d1");
  }

  @Test
  void theOrderEventsArriveInDoesNotChangeTheStateByteForByte() {
    byte[] inLogOrder = history.state().canonicalBytes();
    for (int seed = 0; seed < 50; seed++) {
      List<RecordedEvent> shuffled = new ArrayList<>(run.events);
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(StateFold.of(shuffled).state().canonicalBytes())
          .as("seed %d", seed)
          .isEqualTo(inLogOrder);
    }
  }

  @Test
  void anEventAppliedTwiceChangesNothing() {
    StateFold fold = StateFold.of(run.events);
    String hash = fold.state().hash();

    assertThat(fold.apply(run.events.get(7).event())).isFalse();
    assertThat(fold.state().hash()).isEqualTo(hash);
    assertThat(fold.events()).isEqualTo(run.events.size());
  }

  @Test
  void aPrunedComponentIsNoLongerInstalledButKeepsItsLastStep() {
    Scenario s = Scenario.rollbackRun();
    s.add(
        "stackpilot.steps",
        Scenario.request(
            s.env("r3-req", "r3", null, "c1", "service:planner"),
            "r3/c1/loki",
            StepAction.PRUNE,
            "1.0",
            "d1"));
    s.add(
        "stackpilot.step-applied",
        Scenario.applied(
            s.env("r3-app", "r3", "r3-req", "c1", "service:applier"),
            "r3/c1/loki",
            StepAction.PRUNE,
            "d1"));

    ComponentState loki =
        StateFold.of(s.events).state().clusters().get("c1").stacks().get("lgtm").get("loki");

    assertThat(loki.installed()).isFalse();
    assertThat(loki.digest()).isNull();
    assertThat(loki.chartVersion()).isNull();
    assertThat(loki.lastStep().action()).isEqualTo("PRUNE");
  }

  @Test
  void theCanonicalFormHasSortedKeysAndItsHashIsItsSha256() throws Exception {
    FleetState state = history.state();
    String json = state.canonicalJson();

    assertThat(json).startsWith("{\"clusters\":{\"c1\":{\"latestGate\":");
    assertThat(json).doesNotContain("\n", " :");
    assertThat(state.hash())
        .isEqualTo(
            "sha256:"
                + java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest(state.canonicalBytes())));
    assertThat(new FleetHistory(run.events).state().hash()).isEqualTo(state.hash());
  }

  @Test
  void telemetryNeitherCountsNorChangesTheState() {
    Scenario s = Scenario.rollbackRun();
    String before = StateFold.of(s.events).state().hash();
    s.add(
        "stackpilot.probe-results",
        io.stackpilot.events.ProbeResult.newBuilder()
            .setEnvelope(s.env("probe-1", "r2", "r2-app", "c1", "service:verifier"))
            .setProbeId("loki-ready")
            .setComponent("loki")
            .setKind(io.stackpilot.events.ProbeKind.READINESS)
            .setTarget("http://loki:3100/ready")
            .setSuccess(false)
            .setLatencyMillis(3)
            .setHttpStatus(503)
            .setMessage("503")
            .build());

    StateFold fold = StateFold.of(s.events);

    assertThat(fold.state().hash()).isEqualTo(before);
    assertThat(fold.events()).isEqualTo(s.events.size() - 1);
  }

  @Test
  void aFailedStepIsTheLastStepWithTheActionItsRequestAskedFor() {
    Scenario s = new Scenario();
    s.add(
        "stackpilot.steps",
        Scenario.request(
            s.env("req", "r", null, "c1", "service:planner"),
            "r/c1/loki",
            StepAction.APPLY,
            "3.0",
            "d3"));
    s.add(
        "stackpilot.step-failed",
        io.stackpilot.events.StepFailed.newBuilder()
            .setEnvelope(s.env("fail", "r", "req", "c1", "service:applier"))
            .setStepId("r/c1/loki")
            .setComponent("loki")
            .setDigest("d3")
            .setReason("Forbidden")
            .setMessage("helmreleases is forbidden")
            .setRetriable(false)
            .build());

    ComponentState loki =
        StateFold.of(s.events).state().clusters().get("c1").stacks().get("lgtm").get("loki");

    assertThat(loki.installed()).isFalse();
    assertThat(loki.lastStep())
        .isEqualTo(
            new FleetState.StepView(
                "r/c1/loki", "APPLY", "FAILED", "d3", "Forbidden: helmreleases is forbidden"));
  }
}
