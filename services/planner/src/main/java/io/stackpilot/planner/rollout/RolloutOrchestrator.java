package io.stackpilot.planner.rollout;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.metrics.ConsumedEvents;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The planner's one writer of rollout decisions: a loop that reads the topics a rollout depends on,
 * folds them into {@link Rollouts}, and writes what {@link Reconciler} and {@link RolloutDriver}
 * decide. The state lives in the log: on start the loop reads every input topic from the beginning
 * (in causal order: changes, plans, steps, results, verdicts, gates, transitions) before it acts,
 * so a restarted planner resumes every rollout where the log says it is and never requests a step
 * the log already holds.
 *
 * <p>Other threads (the REST API) talk to the loop by handing it tasks ({@link #call}), so the
 * state has one owner and needs no locks. Records the loop cannot decode go to the planner's
 * dead-letter topic with the cause, once: offsets handled live are committed under {@link #GROUP},
 * and a restart dead-letters only what arrived after the last commit.
 *
 * <p>Replicas: every replica folds the log and answers reads; only the one that {@link Leadership}
 * elects writes (decisions, REST submissions and commands, dead letters, commits). A replica that
 * becomes leader re-plans the active rollouts first, as a restarted planner does; a write asked of
 * a replica that does not lead is refused with {@link NotLeaderException}.
 */
public final class RolloutOrchestrator implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutOrchestrator.class);

  /** Read in this order on a restart, so results find their requests and plans their changes. */
  static final List<Topic> INPUTS =
      List.of(
          Topic.FLEETS,
          Topic.DESIRED_STATE,
          Topic.ROLLOUTS,
          Topic.DRIFT,
          Topic.STEPS,
          Topic.STEP_APPLIED,
          Topic.STEP_FAILED,
          Topic.COMPONENT_HEALTH,
          Topic.GATE_DECISIONS,
          Topic.ROLLOUT_STATUS);

  /** The consumer group whose committed offsets mark what the loop handled live. */
  public static final String GROUP = "stackpilot-planner-orchestrator";

  /** Where the loop connects, and how often it looks at timers when nothing arrives. */
  public record Settings(String bootstrapServers, String registryUrl, Duration tick) {}

  private final Settings settings;
  private final RolloutDriver driver;
  private final Clock clock;
  private final Rollouts rollouts = new Rollouts();
  private final RolloutTraces traces = new RolloutTraces("planner");
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private boolean changed;
  private volatile boolean running;
  private Thread thread;
  private EventLog log;
  private KafkaConsumer<String, byte[]> consumer;
  private Leadership leadership;
  private volatile boolean leading;

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters: what the loop reads, writes and lags behind. Set before start. */
  public RolloutOrchestrator metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public RolloutOrchestrator(Settings settings, RolloutDriver driver, Clock clock) {
    this.settings = settings;
    this.driver = driver;
    this.clock = clock;
  }

  /**
   * Runs {@code work} on the loop, between two polls, and returns its result.
   *
   * @throws IllegalStateException when the loop does not answer in time (still rebuilding)
   */
  public <T> T call(Function<Rollouts, T> work, Duration timeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(
        // in the caller's trace: what the task writes continues the API call's span
        Context.current()
            .wrap(
                () -> {
                  try {
                    result.complete(work.apply(rollouts));
                  } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                  }
                }));
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the rollout loop did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Writes events from a task running on the loop, and folds each one that the broker took. */
  public List<SpecificRecord> publish(List<? extends SpecificRecord> events) {
    if (!leading) {
      throw new NotLeaderException();
    }
    List<Boolean> taken;
    try (Scope traced = traces.writing(events)) {
      taken = log.write(events);
    }
    List<SpecificRecord> written = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (taken.get(i)) {
        rollouts.fold(events.get(i));
        written.add(events.get(i));
        changed = true;
      } else {
        LOG.error("{} is decided again next tick", describe(events.get(i)));
      }
    }
    return written;
  }

  /**
   * Runs {@code listener} on the loop each time the state changed, once the rebuild is done: after
   * a poll that folded records or a task that published. It must return at once (hand the work to
   * another thread, which reads the state through {@link #call}).
   */
  public void addChangeListener(Runnable listener) {
    changeListeners.add(listener);
  }

  /** Whether the state is rebuilt and the loop acts. */
  public boolean ready() {
    return ready.getCount() == 0;
  }

  /** Whether this replica drives the rollouts (the others fold and answer reads only). */
  public boolean leading() {
    return leading;
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "planner-rollouts");
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    try {
      open();
      leadership.join(() -> running);
      leading = leadership.leader(); // only the leader dead-letters what the rebuild cannot decode
      rebuild();
      // the rebuild polled no election: the seat may have gone to another replica meanwhile, so
      // ask again, and re-plan (afterRebuild) only when leading now
      leading = false;
      lead();
      ready.countDown();
      LOG.info(
          "rollouts rebuilt from the log: {} active; {}",
          rollouts.active().size(),
          leading ? "leading" : "standing by");
      changed = true;
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(settings.tick());
        for (ConsumerRecord<String, byte[]> record : records) {
          handle(record, true);
        }
        lead();
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        if (leading) {
          driver.act(this, rollouts, clock.instant());
          if (!records.isEmpty()) {
            commit();
          }
        }
        if (!records.isEmpty()) {
          changed = true;
        }
        if (changed) {
          changed = false;
          for (Runnable listener : changeListeners) {
            try {
              listener.run();
            } catch (RuntimeException e) {
              LOG.warn("a change listener failed; the loop goes on", e);
            }
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("rollout loop woken up while running", e);
      }
    } catch (RuntimeException e) {
      LOG.error("rollout loop stopped: the planner no longer drives rollouts", e);
    } finally {
      close();
    }
  }

  /** Follows the election; on becoming leader, re-plans what is active, as after a restart. */
  private void lead() {
    boolean now = leadership.poll();
    if (now && !leading) {
      leading = true;
      driver.afterRebuild(this, rollouts);
    } else if (!now && leading) {
      leading = false;
    }
  }

  private void open() {
    leadership = new Leadership(settings.bootstrapServers());
    log =
        new EventLog(
            new EventLog.Settings(settings.bootstrapServers(), settings.registryUrl(), metrics),
            "planner",
            GROUP,
            Map.of());
    consumer = log.consumer();
  }

  /** Reads every input from the beginning, topic by topic, then reads on live from there. */
  private void rebuild() {
    List<TopicPartition> all = new ArrayList<>();
    Map<Topic, List<TopicPartition>> byTopic = new HashMap<>();
    for (Topic topic : INPUTS) {
      List<TopicPartition> partitions = log.partitionsOf(topic, () -> running);
      byTopic.put(topic, partitions);
      all.addAll(partitions);
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(all);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(all));
    long folded = 0;
    for (Topic topic : INPUTS) {
      List<TopicPartition> partitions = byTopic.get(topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<TopicPartition> pending = new HashSet<>(partitions);
      pending.removeIf(tp -> end.get(tp) == 0);
      while (!pending.isEmpty() && running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(tp)) {
            continue;
          }
          OffsetAndMetadata mark = committed.get(tp);
          handle(record, mark == null || record.offset() >= mark.offset());
          folded++;
        }
        pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
    consumer.assign(all);
    end.forEach(consumer::seek);
    LOG.info("read {} records from {} partitions to rebuild the rollouts", folded, all.size());
  }

  /** Folds a record; one that cannot be decoded is dead-lettered when it was not handled before. */
  private void handle(ConsumerRecord<String, byte[]> record, boolean firstSight) {
    SpecificRecord event;
    try {
      event = log.decode(record);
    } catch (RuntimeException e) {
      if (firstSight && leading) {
        log.deadLetter(record, e);
        ConsumedEvents.record(metrics, record, null, false);
      }
      return;
    }
    traces.read(record, event);
    rollouts.fold(event);
    if (firstSight) {
      ConsumedEvents.record(metrics, record, event, true);
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    consumer.commitSync(offsets);
  }

  private void close() {
    running = false;
    leading = false;
    if (leadership != null) {
      leadership.close();
    }
    if (log != null) {
      log.close();
    }
  }

  static String describe(SpecificRecord event) {
    String what = event.getSchema().getName();
    if (event instanceof RolloutStatusChanged t) {
      what += " " + t.getTransition() + " -> " + t.getPhase();
    }
    return what + "[" + Topic.envelopeOf(event).getEventId() + "]";
  }
}
