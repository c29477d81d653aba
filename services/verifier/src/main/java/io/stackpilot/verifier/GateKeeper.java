package io.stackpilot.verifier;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateRequest;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.runtime.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Answers gate requests. The consumer thread only schedules: the soak is waited out on this
 * keeper's own scheduler, then every subject's objects are re-read live, the {@link GateJudge}
 * decides, and one GateDecided is published per (rollout, wave, attempt) in this process.
 */
final class GateKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GateKeeper.class);

  /** Evaluations remembered for deduplication; far more than the gates one process sees at once. */
  static final int REMEMBERED = 10_000;

  static final int PUBLISH_ATTEMPTS = 5;

  private final Function<GateSubject, HealthAssessment.Verdict> checker;
  private final Function<RolloutStatusChanged, List<GateEvidence>> checks;
  private final Consumer<SpecificRecord> publisher;
  private final Envelopes envelopes;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration maxLateness;
  private final Duration publishBackoff;
  private final GateJudge judge = new GateJudge();
  private final Set<String> evaluated =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  /**
   * @param checker re-reads one subject's objects and judges them
   * @param checks runs the probes and SLO evaluations the criteria ask for ({@link GateChecks})
   * @param publisher writes the decision (EventPublisher::publish); throws when it could not
   * @param maxLateness requests due longer ago than this are skipped (see onStatus)
   * @param publishBackoff first wait before publishing again, doubled on each attempt
   */
  GateKeeper(
      Function<GateSubject, HealthAssessment.Verdict> checker,
      Function<RolloutStatusChanged, List<GateEvidence>> checks,
      Consumer<SpecificRecord> publisher,
      Envelopes envelopes,
      Clock clock,
      ScheduledExecutorService scheduler,
      Duration maxLateness,
      Duration publishBackoff) {
    this.checker = checker;
    this.checks = checks;
    this.publisher = publisher;
    this.envelopes = envelopes;
    this.clock = clock;
    this.scheduler = scheduler;
    this.maxLateness = maxLateness;
    this.publishBackoff = publishBackoff;
  }

  /** A scheduler of daemon threads named gate-keeper-N, for {@link #close} to shut down. */
  static ScheduledExecutorService scheduler(int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ScheduledThreadPoolExecutor(
        threads,
        task -> {
          Thread thread = new Thread(task, "gate-keeper-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Takes one rollout transition on the consumer thread and returns at once: a gate request is
   * scheduled for the end of its soak, anything else is ignored. A request already taken (a
   * redelivery) is ignored, and so is one due longer than {@code maxLateness} ago: replaying the
   * topic from an old offset must not decide gates of rollouts long over, and the planner repeats a
   * request (with the next attempt) that is still waiting.
   *
   * @throws IllegalArgumentException for a gate request without gate or wave: a producer bug, so
   *     the record goes to the dead-letter topic
   */
  void onStatus(RolloutStatusChanged status) {
    if (status.getTransition() != RolloutTransition.GATE_REQUESTED) {
      return;
    }
    EventEnvelope envelope = status.getEnvelope();
    GateRequest gate = status.getGate();
    if (gate == null || status.getWaveIndex() == null) {
      throw new IllegalArgumentException(
          "GATE_REQUESTED " + envelope.getEventId() + " without gate or waveIndex");
    }
    String key =
        envelope.getCorrelationId() + "/" + status.getWaveIndex() + "/" + gate.getAttempt();
    Instant due = GateJudge.dueAt(envelope.getOccurredAt(), gate.getCriteria());
    Instant now = clock.instant();
    if (now.isAfter(due.plus(maxLateness))) {
      LOG.info("gate {} was due at {}: too late to judge, skipped", key, due);
      return;
    }
    if (!evaluated.add(key)) {
      LOG.info("gate {} taken already, ignored", key);
      return;
    }
    LOG.info("gate {} requested: {} subjects, judged at {}", key, gate.getSubjects().size(), due);
    schedule(key, () -> evaluate(key, status), Duration.between(now, due));
  }

  private void evaluate(String key, RolloutStatusChanged request) {
    withMdc(
        request.getEnvelope(),
        () -> {
          Instant due =
              GateJudge.dueAt(
                  request.getEnvelope().getOccurredAt(), request.getGate().getCriteria());
          Instant now = clock.instant();
          if (now.isBefore(due)) {
            // the scheduler's timer and the clock may disagree by a little: never judge early
            schedule(key, () -> evaluate(key, request), Duration.between(now, due));
            return;
          }
          // the judgement in the request's trace (the context schedule() carried here)
          Span span =
              Tracing.of("verifier")
                  .work("gate", Context.current())
                  .setAttribute(Tracing.ROLLOUT_ID, request.getEnvelope().getCorrelationId())
                  .setAttribute("stackpilot.gate", key)
                  .startSpan();
          try (Scope scope = span.makeCurrent()) {
            publish(key, decide(request), 1);
          } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            evaluated.remove(key);
            LOG.error("gate {} could not be judged; a repeated request can", key, e);
          } finally {
            span.end();
          }
        });
  }

  GateDecided decide(RolloutStatusChanged request) {
    GateRequest gate = request.getGate();
    List<GateJudge.SubjectVerdict> verdicts =
        gate.getSubjects().stream()
            .map(s -> new GateJudge.SubjectVerdict(s, checker.apply(s)))
            .toList();
    GateJudge.Judgement judgement =
        judge.judge(gate.getCriteria(), request.getWaveIndex(), verdicts, checks.apply(request));
    return GateDecided.newBuilder()
        .setEnvelope(envelopes.causedBy(request.getEnvelope()))
        .setWaveIndex(request.getWaveIndex())
        .setClusters(request.getClusters())
        .setDecision(judgement.decision())
        .setReasons(judgement.reasons())
        .setEvidence(judgement.evidence())
        .build();
  }

  private void publish(String key, GateDecided decided, int attempt) {
    try {
      publisher.accept(decided);
      LOG.info("gate {}: {} ({})", key, decided.getDecision(), decided.getReasons());
    } catch (RuntimeException e) {
      if (attempt >= PUBLISH_ATTEMPTS) {
        evaluated.remove(key);
        LOG.error("gate {}: {} not published after {} attempts", key, decided, attempt, e);
        return;
      }
      Duration wait = publishBackoff.multipliedBy(1L << (attempt - 1));
      LOG.warn("gate {}: publishing failed ({}), again in {}", key, e.toString(), wait);
      // the same event again (same event id), so a consumer that saw a lost ack dedupes it
      schedule(
          key,
          () -> withMdc(decided.getEnvelope(), () -> publish(key, decided, attempt + 1)),
          wait);
    }
  }

  private void schedule(String key, Runnable task, Duration delay) {
    try {
      // in the caller's trace context: the request's consumer span, then the gate span
      scheduler.schedule(
          Context.current().wrap(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      evaluated.remove(key);
      LOG.info("gate {} dropped: the verifier is stopping", key);
    }
  }

  private static void withMdc(EventEnvelope envelope, Runnable action) {
    MDC.put(EventHeaders.MDC_CORRELATION_ID, envelope.getCorrelationId());
    MDC.put(EventHeaders.MDC_EVENT_ID, envelope.getEventId());
    if (envelope.getCausationId() != null) {
      MDC.put(EventHeaders.MDC_CAUSATION_ID, envelope.getCausationId());
    }
    try {
      action.run();
    } finally {
      MDC.remove(EventHeaders.MDC_CORRELATION_ID);
      MDC.remove(EventHeaders.MDC_EVENT_ID);
      MDC.remove(EventHeaders.MDC_CAUSATION_ID);
    }
  }

  /**
   * Stops the scheduler: gates still soaking are dropped (their offsets are committed already; the
   * planner repeats a request that gets no decision in time).
   */
  @Override
  public void close() {
    List<Runnable> pending = scheduler.shutdownNow();
    if (!pending.isEmpty()) {
      LOG.info("stopping: {} gate evaluations dropped", pending.size());
    }
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("gate evaluations still running after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
