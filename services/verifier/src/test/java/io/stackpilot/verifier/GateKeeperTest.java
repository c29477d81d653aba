package io.stackpilot.verifier;

import static io.stackpilot.verifier.GateRequests.criteria;
import static io.stackpilot.verifier.GateRequests.request;
import static io.stackpilot.verifier.GateRequests.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate keeper without Kafka or clusters: it acts on gate requests only, judges each (rollout,
 * wave, attempt) once, skips requests long overdue, and publishes a decision again when it fails.
 */
class GateKeeperTest {
  final Clock clock = Clock.systemUTC();
  final List<GateDecided> published = new CopyOnWriteArrayList<>();
  final ScheduledExecutorService scheduler = GateKeeper.scheduler(1);
  final GateKeeper keeper = keeper(e -> published.add((GateDecided) e), scheduler);

  @AfterEach
  void stop() {
    keeper.close();
  }

  @Test
  void onlyGateRequestsAreJudgedAndEachAttemptOnlyOnce() {
    RolloutStatusChanged first = gateRequest("r1", 1, Instant.now());
    RolloutStatusChanged second = gateRequest("r1", 2, Instant.now());

    keeper.onStatus(GateRequests.transition("r1", RolloutTransition.WAVE_STARTED));
    keeper.onStatus(first);
    keeper.onStatus(first); // redelivered
    keeper.onStatus(second);

    // one thread, no soak: a duplicate would have been published before the second attempt
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= 2);
    assertThat(published)
        .extracting(d -> d.getEnvelope().getCausationId())
        .containsExactly(first.getEnvelope().getEventId(), second.getEnvelope().getEventId());
  }

  @Test
  void aRequestDueLongAgoIsSkipped() {
    RolloutStatusChanged old = gateRequest("r-old", 1, Instant.now().minus(Duration.ofHours(2)));
    RolloutStatusChanged fresh = gateRequest("r-fresh", 1, Instant.now());

    keeper.onStatus(old);
    keeper.onStatus(fresh);

    await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
    assertThat(published)
        .singleElement()
        .satisfies(d -> assertThat(d.getEnvelope().getCorrelationId()).isEqualTo("r-fresh"));
  }

  @Test
  void aDecisionThatCouldNotBePublishedIsPublishedAgainUnchanged() {
    AtomicInteger calls = new AtomicInteger();
    List<String> eventIds = new CopyOnWriteArrayList<>();
    try (GateKeeper flaky =
        keeper(
            e -> {
              eventIds.add(((GateDecided) e).getEnvelope().getEventId());
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("binder refused");
              }
              published.add((GateDecided) e);
            },
            GateKeeper.scheduler(1))) {

      flaky.onStatus(gateRequest("r-retry", 1, Instant.now()));

      await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
      assertThat(eventIds).hasSize(3).containsOnly(eventIds.get(0));
    }
  }

  @Test
  void theDecisionIsCausedByTheRequestAndCopiesItsWave() {
    RolloutStatusChanged request = gateRequest("r-ids", 1, Instant.now());

    GateDecided decided = keeper.decide(request);

    assertThat(decided.getEnvelope().getCorrelationId()).isEqualTo("r-ids");
    assertThat(decided.getEnvelope().getCausationId())
        .isEqualTo(request.getEnvelope().getEventId());
    assertThat(decided.getEnvelope().getProducer()).isEqualTo("verifier");
    assertThat(decided.getWaveIndex()).isEqualTo(1);
    assertThat(decided.getClusters()).containsExactly("perso");
    assertThat(decided.getDecision()).isEqualTo(GateDecision.PROMOTE);
  }

  @Test
  void aGateRequestWithoutItsGateIsRefused() {
    RolloutStatusChanged broken = gateRequest("r-broken", 1, Instant.now());
    broken.setGate(null);

    assertThatThrownBy(() -> keeper.onStatus(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without gate");
  }

  @Test
  void stoppingDropsGatesStillSoaking() {
    RolloutStatusChanged soaking = gateRequest("r-soak", 1, Instant.now());
    soaking.getGate().getCriteria().setSoakSeconds(3600);
    keeper.onStatus(soaking);

    keeper.close();

    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(published).isEmpty();
  }

  private GateKeeper keeper(
      Consumer<SpecificRecord> publisher, ScheduledExecutorService scheduler) {
    return new GateKeeper(
        s -> new HealthAssessment.Verdict(HealthStatus.HEALTHY, "fine", List.of()),
        request -> List.of(),
        publisher,
        new Envelopes("verifier", clock),
        clock,
        scheduler,
        Duration.ofHours(1),
        Duration.ofMillis(10));
  }

  private static RolloutStatusChanged gateRequest(String rollout, int attempt, Instant at) {
    return request(
        rollout,
        1,
        attempt,
        at,
        criteria(0, GateFailurePolicy.HALT),
        List.of(subject("perso", "loki", "sha256:a", StepAction.APPLY)));
  }
}
