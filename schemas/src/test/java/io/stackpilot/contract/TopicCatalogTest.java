package io.stackpilot.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.SilenceChange;
import io.stackpilot.events.SilenceChanged;
import io.stackpilot.events.SilenceMatcher;
import io.stackpilot.events.StepApplied;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Proves the catalog is consistent: unique names and types, keys derivable from each event. */
class TopicCatalogTest {

  @Test
  void topicNamesAndValueTypesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<Class<?>> types = new HashSet<>();
    for (Topic t : Topic.values()) {
      assertThat(names.add(t.topicName())).as(t.topicName()).isTrue();
      assertThat(types.add(t.valueType())).as(t.valueType().getName()).isTrue();
      assertThat(t.valueSchema().getField("envelope")).as(t + " has an envelope").isNotNull();
      assertThat(t.partitions()).isPositive();
    }
  }

  @Test
  void clusterKeyedEventsAreKeyedByTheirCluster() {
    StepApplied applied = stepApplied("perso");
    assertThat(Topic.STEP_APPLIED.keyOf(applied)).isEqualTo("perso");
    assertThat(Topic.byValueType(StepApplied.class)).contains(Topic.STEP_APPLIED);
  }

  @Test
  void anEventWithoutItsKeyIsRefused() {
    assertThatThrownBy(() -> Topic.STEP_APPLIED.keyOf(stepApplied(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLUSTER");
  }

  @Test
  void silencesAreKeyedByTheirId() {
    SilenceChanged created =
        SilenceChanged.newBuilder()
            .setEnvelope(stepApplied("perso").getEnvelope())
            .setSilenceId("5f0c9d3e-silence")
            .setChange(SilenceChange.CREATED)
            .setMatchers(
                List.of(SilenceMatcher.newBuilder().setName("cluster").setValue("perso").build()))
            .setStartsAt(Instant.parse("2026-11-21T00:00:00Z"))
            .setEndsAt(Instant.parse("2026-11-21T01:00:00Z"))
            .setCreatedBy("user:alice")
            .build();
    assertThat(Topic.SILENCES.keyOf(created)).isEqualTo("5f0c9d3e-silence");
    assertThat(Topic.byValueType(SilenceChanged.class)).contains(Topic.SILENCES);
  }

  private static StepApplied stepApplied(String cluster) {
    return StepApplied.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId("e1")
                .setOccurredAt(Instant.parse("2026-11-21T00:00:00Z"))
                .setActor("user:test")
                .setCluster(cluster)
                .setCorrelationId("r1")
                .setProducer("applier")
                .build())
        .setStepId("r1/perso/loki")
        .setComponent("loki")
        .setDigest("sha256:00")
        .setResources(List.<ResourceRef>of())
        .setDurationMillis(1)
        .build();
  }
}
