package io.stackpilot.verifier;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.StepApplied;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.LogLoop;
import io.stackpilot.runtime.PartitionedLog;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.runtime.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;

/**
 * Verifies every applied step once: registers it when its StepApplied is read, judges it again on
 * every watch event of its cluster, and publishes one ComponentVerified when the component is
 * healthy or its deadline ({@code occurredAt + deadline}) has passed.
 *
 * <p><b>State in the log.</b> A step is pending when {@code stackpilot.step-applied} holds its
 * StepApplied and {@code stackpilot.component-health} no ComponentVerified for its step id. Both
 * topics are keyed by cluster with 6 partitions, so partition {@code n} of each holds the same
 * clusters; instances share them in the group {@link #GROUP} with the range assignor and read each
 * assigned partition from its beginning. A partition's steps are judged only once both its topics
 * are read up to where they ended at assignment, so a restarted verifier publishes only the
 * verdicts it had not published (see DESIGN.md).
 *
 * <p>Threads: the loop thread owns the consumer; judging and publishing run on one scheduler
 * thread, woken by watch events (coalesced per cluster) and by each step's deadline.
 */
final class HealthWatch implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);

  /** The consumer group that spreads clusters over the verifier's instances. */
  static final String GROUP = "stackpilot-verifier-health";

  /**
   * How long past its deadline a step waits for a watch that has not synced (just started, or its
   * cluster unreachable) before its verdict is UNKNOWN.
   */
  static final Duration SYNC_GRACE = Duration.ofSeconds(30);

  static final List<Topic> INPUTS = List.of(Topic.STEP_APPLIED, Topic.COMPONENT_HEALTH);

  /** Where the log is, and how long a step may take to become healthy. */
  record Settings(
      String bootstrapServers, String registryUrl, Duration deadline, Duration retryBackoff) {}

  /**
   * @param trace the StepApplied's trace context (its {@code traceparent}), parent of the verdict
   */
  private record Pending(StepApplied applied, int partition, Instant deadline, Context trace) {}

  private final Settings settings;
  private final StepVerifier verifier;
  private final ClusterWatches watches;
  private final Consumer<SpecificRecord> publisher;
  private final Clock clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  // step ids with a verdict (read from the log, or published here), by partition
  private final Map<String, Integer> verified = new ConcurrentHashMap<>();
  private final Set<Integer> live = ConcurrentHashMap.newKeySet();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Map<TopicPartition, Long> deadLetterFrom = new HashMap<>();
  private ScheduledExecutorService judge;
  private volatile boolean stopping;
  private LogLoop loop;

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters: what the loop reads, writes and lags behind. Set before start. */
  public HealthWatch metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  HealthWatch(
      Settings settings,
      StepVerifier verifier,
      ClusterWatches watches,
      Consumer<SpecificRecord> publisher,
      Clock clock) {
    this.settings = settings;
    this.verifier = verifier;
    this.watches = watches;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public void start() {
    stopping = false;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread t = new Thread(task, "verifier-health");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    judge = executor;
    watches.onChange(this::changed);
    loop =
        new LogLoop(
            new LogLoop.Settings(
                "verifier-health-log",
                new EventLog.Settings(settings.bootstrapServers(), settings.registryUrl(), metrics),
                "verifier",
                GROUP,
                INPUTS,
                "applied steps are no longer verified"),
            new LogLoop.Body() {
              @Override
              public PartitionedLog.Assignment assignment() {
                return new Rebuild();
              }

              @Override
              public void handle(ConsumerRecord<String, byte[]> record) {
                HealthWatch.this.handle(record);
              }

              @Override
              public void afterPoll(ConsumerRecords<String, byte[]> records) {
                goLive();
                if (!records.isEmpty()) {
                  // only to know which poison records were dead-lettered
                  loop.reader().log().consumer().commitAsync();
                }
              }
            });
    loop.start();
  }

  @Override
  public void stop() {
    stopping = true;
    // no verdict is half-published when the loop stops: the judge thread ends first
    judge.shutdown();
    try {
      judge.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.stop();
  }

  @Override
  public boolean isRunning() {
    return loop != null && loop.isRunning();
  }

  /** Partitions assigned to this instance whose steps are being judged (caught up). */
  int livePartitions() {
    return live.size();
  }

  /** Steps registered and not yet verified by this instance. */
  int pendingCount() {
    return pending.size();
  }

  /** Forgets the partitions taken away; notes where dead-lettering resumes in the ones given. */
  private final class Rebuild implements PartitionedLog.Assignment {
    @Override
    public void revoked(Set<Integer> numbers, Collection<TopicPartition> partitions) {
      live.removeAll(numbers);
      pending.values().removeIf(p -> numbers.contains(p.partition()));
      verified.values().removeIf(numbers::contains);
      partitions.forEach(deadLetterFrom::remove);
    }

    @Override
    public void assigned(Set<Integer> numbers, Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          loop.reader().log().consumer().committed(new HashSet<>(partitions));
      for (TopicPartition p : partitions) {
        OffsetAndMetadata offset = committed.get(p);
        deadLetterFrom.put(p, offset == null ? 0L : offset.offset());
      }
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    SpecificRecord event;
    try {
      event = loop.reader().log().decode(record);
    } catch (RuntimeException e) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (record.topic().equals(Topic.STEP_APPLIED.topicName())
          && record.offset() >= deadLetterFrom.getOrDefault(tp, 0L)) {
        loop.reader().log().deadLetter(record, e);
      } else {
        LOG.debug(
            "health: skipping undecodable {}-{}@{}", tp.topic(), tp.partition(), record.offset());
      }
      return;
    }
    int partition = record.partition();
    if (event instanceof ComponentVerified v) {
      verified.put(v.getStepId(), partition);
      // ours read back, or one written before this instance owned the partition
      pending.remove(v.getStepId());
    } else if (event instanceof StepApplied applied) {
      if (verified.containsKey(applied.getStepId()) || pending.containsKey(applied.getStepId())) {
        return;
      }
      Pending step =
          new Pending(
              applied,
              partition,
              applied.getEnvelope().getOccurredAt().plus(settings.deadline()),
              Context.current()); // the record's, made current by the loop
      pending.put(applied.getStepId(), step);
      if (live.contains(partition)) {
        activate(step);
      }
    }
  }

  /** Partitions whose both inputs are read up to where they stood at assignment go live. */
  private void goLive() {
    for (Integer partition : loop.reader().caughtUp()) {
      if (live.add(partition)) {
        long count =
            pending.values().stream()
                .filter(p -> p.partition() == partition)
                .peek(this::activate)
                .count();
        if (count > 0) {
          LOG.info("health: partition {} caught up, {} steps pending", partition, count);
        }
      }
    }
  }

  /** Judges the step now, and again at its deadline. */
  private void activate(Pending step) {
    String id = step.applied().getStepId();
    submit(() -> evaluate(id));
    Duration untilDeadline = Duration.between(clock.instant(), step.deadline());
    schedule(() -> evaluate(id), untilDeadline);
    schedule(() -> evaluate(id), untilDeadline.plus(SYNC_GRACE));
  }

  /** A watch event on {@code cluster}: its pending steps are judged again (once per burst). */
  private void changed(String cluster) {
    if (dirty.add(cluster)) {
      submit(
          () -> {
            dirty.remove(cluster);
            pending.values().stream()
                .filter(p -> cluster.equals(p.applied().getEnvelope().getCluster()))
                .map(p -> p.applied().getStepId())
                .toList()
                .forEach(this::evaluate);
          });
    }
  }

  /** On the judge thread: publishes the step's verdict if it is settled. */
  private void evaluate(String stepId) {
    Pending step = pending.get(stepId);
    if (step == null || !live.contains(step.partition()) || stopping) {
      return;
    }
    EventEnvelope envelope = step.applied().getEnvelope();
    MDC.put(EventHeaders.MDC_CLUSTER, envelope.getCluster());
    MDC.put(EventHeaders.MDC_CORRELATION_ID, envelope.getCorrelationId());
    MDC.put(EventHeaders.MDC_CAUSATION_ID, envelope.getEventId());
    try {
      evaluate(stepId, step);
    } finally {
      MDC.remove(EventHeaders.MDC_CLUSTER);
      MDC.remove(EventHeaders.MDC_CORRELATION_ID);
      MDC.remove(EventHeaders.MDC_CAUSATION_ID);
    }
  }

  private void evaluate(String stepId, Pending step) {
    Instant now = clock.instant();
    long startNanos = Tracing.nowNanos();
    boolean timedOut = !now.isBefore(step.deadline());
    boolean graceOver = !now.isBefore(step.deadline().plus(SYNC_GRACE));
    Optional<ComponentVerified> verdict;
    try {
      verdict = verifier.verdictIfSettled(step.applied(), timedOut, graceOver);
    } catch (RuntimeException e) {
      LOG.warn("step {} could not be judged, again in {}", stepId, settings.retryBackoff(), e);
      schedule(() -> evaluate(stepId), settings.retryBackoff());
      return;
    }
    if (verdict.isEmpty()) {
      return;
    }
    // the settling judgement and its verdict, in the applied step's trace
    EventEnvelope applied = step.applied().getEnvelope();
    Span span =
        Tracing.of("verifier")
            .work("verify", step.trace())
            .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
            .setAttribute(Tracing.CLUSTER, applied.getCluster())
            .setAttribute(Tracing.ROLLOUT_ID, applied.getCorrelationId())
            .setAttribute("stackpilot.component", step.applied().getComponent())
            .setAttribute("stackpilot.step_id", stepId)
            .setAttribute("stackpilot.health", verdict.get().getHealth().toString())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      publisher.accept(verdict.get());
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      LOG.warn("verdict on {} not published ({}), again in {}", stepId, e, settings.retryBackoff());
      schedule(() -> evaluate(stepId), settings.retryBackoff());
      return;
    } finally {
      span.end();
    }
    verified.put(stepId, step.partition());
    pending.remove(stepId);
  }

  private void submit(Runnable task) {
    try {
      judge.execute(task);
    } catch (RejectedExecutionException e) {
      // stopping: the step stays pending in the log and is judged after a restart
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      judge.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping, as above
    }
  }
}
