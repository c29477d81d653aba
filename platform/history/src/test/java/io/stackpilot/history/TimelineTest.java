package io.stackpilot.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.StepAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timelines: causal order, selection, reasons, spec diffs, and the three renderings. */
class TimelineTest {
  private final Scenario run = Scenario.rollbackRun();

  @Test
  void aRolloutsTimelineListsItsEventsCauseFirstWithActorAndReason() {
    Timeline timeline = new FleetHistory(run.events).timeline(Selection.rollout("r2"));

    assertThat(timeline.entries())
        .extracting(TimelineEntry::eventId)
        .containsExactly(
            "r2-decl",
            "r2-req",
            "r2-app",
            "r2-alert",
            "r2-gate",
            "r2-rb",
            "r2-undo",
            "r2-undone",
            "r2-end",
            "r2-resolved");
    TimelineEntry declared = timeline.entries().get(0);
    assertThat(declared.actor()).isEqualTo("user:bob");
    assertThat(declared.reason()).isEqualTo("loki 2.0");
    TimelineEntry gate = timeline.entries().get(4);
    assertThat(gate.type()).isEqualTo("GateDecided");
    assertThat(gate.actor()).isEqualTo("service:verifier");
    assertThat(gate.reason()).isEqualTo("c1/loki: Forbidden");
    assertThat(gate.summary()).contains("ROLL_BACK");
    assertThat(timeline.entries().get(5).reason()).isEqualTo("gate failed: c1/loki: Forbidden");
    assertThat(timeline.entries().get(6).digests()).containsExactly("d1");
  }

  @Test
  void aCauseComesBeforeItsEffectEvenWhenItsClockIsLater() {
    Scenario s = new Scenario();
    EventEnvelope effect = s.env("effect", "r", "cause", "c1", "service:applier");
    EventEnvelope cause = s.env("cause", "r", null, "c1", "service:planner");
    EventEnvelope other = s.env("other", "r", null, "c1", "service:verifier");
    // the applier's clock runs behind: its effect says it occurred before its cause
    cause.setOccurredAt(Scenario.T0.plusSeconds(5));
    effect.setOccurredAt(Scenario.T0.plusSeconds(1));
    other.setOccurredAt(Scenario.T0.plusSeconds(3));
    s.add("stackpilot.step-applied", Scenario.applied(effect, "r/c1/loki", StepAction.APPLY, "d"));
    s.add("stackpilot.component-health", Scenario.verified(other, "d", HealthStatus.HEALTHY));
    s.add("stackpilot.steps", Scenario.request(cause, "r/c1/loki", StepAction.APPLY, "1", "d"));

    assertThat(Timeline.causalOrder(s.events))
        .extracting(e -> e.envelope().getEventId())
        .containsExactly("other", "cause", "effect");
  }

  @Test
  void eventsNotOrderedByCausationGoByTimeThenTopicPartitionAndOffset() {
    Scenario s = new Scenario();
    Instant same = Scenario.T0;
    EventEnvelope a = s.env("a", "r", null, "c1", "service:planner");
    EventEnvelope b = s.env("b", "r", null, "c1", "service:planner");
    EventEnvelope c = s.env("c", "r", null, "c1", "service:planner");
    EventEnvelope d = s.env("d", "r", null, "c1", "service:planner");
    for (EventEnvelope e : List.of(a, b, c, d)) {
      e.setOccurredAt(same);
    }
    c.setOccurredAt(same.minusMillis(1));
    s.add("stackpilot.steps", Scenario.request(a, "r/1", StepAction.APPLY, "1", "d"));
    s.add("stackpilot.steps", Scenario.request(b, "r/2", StepAction.APPLY, "1", "d"));
    s.add("stackpilot.step-applied", Scenario.applied(c, "r/1", StepAction.APPLY, "d"));
    s.events.add(
        new RecordedEvent(
            "stackpilot.component-health", 0, 0, Scenario.verified(d, "d", HealthStatus.HEALTHY)));

    List<RecordedEvent> reversed = new java.util.ArrayList<>(s.events);
    java.util.Collections.reverse(reversed);
    assertThat(Timeline.causalOrder(reversed))
        .extracting(e -> e.envelope().getEventId())
        .containsExactly("c", "d", "a", "b");
  }

  @Test
  void aDeclarationCarriesTheUnifiedDiffAgainstTheStacksPreviousRevision() {
    Timeline timeline = new FleetHistory(run.events).timeline(Selection.rollout("r2"));
    Timeline first = new FleetHistory(run.events).timeline(Selection.rollout("r1"));

    assertThat(timeline.entries().get(0).specDiff())
        .startsWith("--- a/lgtm@rev1\n+++ b/lgtm@rev2\n@@ ")
        .contains("-    version: 1.0\n+    version: 2.0\n")
        .contains("     retention: 24h");
    assertThat(first.entries().get(0).specDiff()).contains("--- a/lgtm@none", "+    version: 1.0");
    assertThat(timeline.entries().get(1).specDiff()).isNull();
  }

  @Test
  void clusterComponentAndTimeSelectionsPickTheirEvents() {
    FleetHistory history = new FleetHistory(run.events);

    assertThat(history.timeline(Selection.cluster("c1")).entries())
        .extracting(TimelineEntry::eventId)
        .contains("r1-req", "r2-gate", "r2-end")
        .doesNotContain("r1-decl");
    assertThat(history.timeline(Selection.component("loki")).entries())
        .extracting(TimelineEntry::eventId)
        .contains("r1-decl", "r2-undone")
        .doesNotContain("r1-end");
    assertThat(
            history
                .timeline(
                    Selection.all().between(Scenario.T0.plusSeconds(5), Scenario.T0.plusSeconds(7)))
                .entries())
        .extracting(TimelineEntry::eventId)
        .containsExactly("r2-decl", "r2-req");
  }

  @Test
  void theReportsShowEveryEntry() throws Exception {
    Timeline timeline = new FleetHistory(run.events).timeline(Selection.rollout("r2"));

    String table = Reports.table(timeline);
    assertThat(table.lines().findFirst().orElseThrow())
        .startsWith("#   TIME")
        .contains("TYPE", "ACTOR", "PRODUCER", "CLUSTER", "SUMMARY", "REASON");
    assertThat(table).contains("GateDecided", "user:bob", "    | +    version: 2.0", "10 events");

    JsonNode json = new ObjectMapper().readTree(Reports.json(timeline));
    assertThat(json.path("selection").path("rollout").asText()).isEqualTo("r2");
    assertThat(json.path("events")).hasSize(10);
    assertThat(json.path("events").get(4).path("reason").asText()).isEqualTo("c1/loki: Forbidden");

    String html = Reports.html("Rollout r2 <lgtm>", timeline);
    assertThat(html)
        .contains("<title>Rollout r2 &lt;lgtm&gt;</title>", "<style>", "id=\"event-r2-gate\"")
        .contains("<span class=\"add\">+    version: 2.0</span>")
        .doesNotContain("<script", "http://", "<link");
    assertThat(html.split("<li class=\"event ", -1)).hasSize(11);
    assertThat(html.substring(html.indexOf("<ul class=\"outcome\""), html.indexOf("</ul>")))
        .contains("href=\"#event-r2-gate\"", "ROLL_BACK", "ROLLBACK_STARTED", "ROLLED_BACK")
        .doesNotContain("requested");
  }
}
