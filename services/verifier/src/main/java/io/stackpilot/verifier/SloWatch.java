package io.stackpilot.verifier;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepRequested;
import io.stackpilot.runtime.AppliedSteps;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.LogLoop;
import io.stackpilot.runtime.PartitionedLog;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.verifier.slo.DeclaredSlos;
import io.stackpilot.verifier.slo.SloEvaluator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Evaluates every SLO of every deployed component, every {@code interval}, between rollouts as much
 * as during them: each evaluation is an {@code SloEvaluated}, and a page or ticket alert that
 * starts or stops is an {@code AlertStatusChanged} for the notifier to route.
 *
 * <p>What is deployed is folded from the cluster-keyed step topics ({@link AppliedSteps}, one per
 * partition): the SLOs are those of the step last applied to each component, a prune drops them.
 * Replicas share the clusters in the consumer group {@link #GROUP} (range assignor: the same
 * partition numbers of every input), so each SLO is evaluated by one instance; a partition is
 * evaluated once it has been read up to where it was when assigned. Which alerts fire is the whole
 * {@code stackpilot.alerts} topic ({@link FiringAlerts}), so a restarted or rebalanced watch does
 * not raise an alert twice. A cluster without an SLI source ({@code
 * stackpilot.verifier.targets.prometheus-sli}) is skipped.
 */
final class SloWatch implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(SloWatch.class);

  static final String GROUP = "stackpilot-verifier-slo";
  static final List<Topic> INPUTS = List.of(Topic.STEPS, Topic.STEP_APPLIED, Topic.STEP_FAILED);

  record Settings(String bootstrapServers, String registryUrl, Duration interval, int threads) {}

  /** One SLO to evaluate: where, and which. */
  record Due(SloEvaluator.Subject subject, SloEvaluator.Slo slo) {}

  private final Settings settings;
  private final SloMeasurements measurements;
  private final Clock clock;
  private final Map<Integer, AppliedSteps> partitions = new TreeMap<>();
  private final AtomicInteger evaluating = new AtomicInteger();
  private final Set<String> unmeasurable = new HashSet<>();
  private LogLoop loop;
  private ExecutorService pool;
  private Instant nextRound = Instant.MIN;

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters: what the loop reads, writes and lags behind. Set before start. */
  public SloWatch metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  SloWatch(Settings settings, SloMeasurements measurements, Clock clock) {
    this.settings = settings;
    this.measurements = measurements;
    this.clock = clock;
  }

  @Override
  public void start() {
    pool = Executors.newFixedThreadPool(settings.threads(), r -> new Thread(r, "verifier-slo"));
    loop =
        new LogLoop(
            new LogLoop.Settings(
                "verifier-slo-watch",
                new EventLog.Settings(settings.bootstrapServers(), settings.registryUrl(), metrics),
                "verifier",
                GROUP,
                INPUTS,
                "SLOs are no longer evaluated between gates"),
            new LogLoop.Body() {
              @Override
              public PartitionedLog.Assignment assignment() {
                return new PartitionedLog.Assignment() {
                  @Override
                  public void revoked(Set<Integer> numbers, Collection<TopicPartition> partitions) {
                    numbers.forEach(SloWatch.this.partitions::remove);
                  }

                  @Override
                  public void assigned(
                      Set<Integer> numbers, Collection<TopicPartition> partitions) {
                    numbers.forEach(n -> SloWatch.this.partitions.put(n, new AppliedSteps()));
                  }
                };
              }

              @Override
              public void handle(ConsumerRecord<String, byte[]> record) {
                fold(record);
              }

              @Override
              public void afterPoll(ConsumerRecords<String, byte[]> records) {
                startRoundIfDue();
              }
            });
    loop.start();
  }

  @Override
  public void stop() {
    loop.stop();
    pool.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return loop != null && loop.isRunning();
  }

  private void fold(ConsumerRecord<String, byte[]> record) {
    SpecificRecord event;
    try {
      event = loop.reader().log().decode(record);
    } catch (RuntimeException e) {
      // the applier dead-letters what it cannot read on stackpilot.steps; the rest is ours
      LOG.warn(
          "SLO watch: skipping undecodable {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    AppliedSteps steps = partitions.get(record.partition());
    if (steps != null) {
      steps.fold(event);
    }
  }

  private void startRoundIfDue() {
    Instant now = clock.instant();
    if (evaluating.get() > 0 || now.isBefore(nextRound)) {
      return;
    }
    nextRound = now.plus(settings.interval());
    List<Due> due = due(partitions, loop.reader().caughtUp());
    evaluating.set(due.size());
    for (Due d : due) {
      pool.execute(
          () -> {
            try {
              measurements.measure(d.subject(), d.slo());
              forgetUnmeasurable(d);
            } catch (RuntimeException e) {
              warnOnce(d, e);
            } finally {
              evaluating.decrementAndGet();
            }
          });
    }
  }

  /** The SLOs of the components applied in caught-up partitions with an SLI source. */
  List<Due> due(Map<Integer, AppliedSteps> partitions, Set<Integer> caughtUp) {
    List<Due> out = new ArrayList<>();
    partitions.forEach(
        (number, steps) -> {
          if (!caughtUp.contains(number)) {
            return;
          }
          steps
              .applied()
              .forEach(
                  (key, step) -> {
                    for (SloEvaluator.Slo slo :
                        DeclaredSlos.of(step.getComponentSpec(), key.component())) {
                      SloEvaluator.Subject subject = subject(key, step);
                      if (measurements.source(subject.cluster(), subject.tenant()).isPresent()) {
                        out.add(new Due(subject, slo));
                      }
                    }
                  });
        });
    return out;
  }

  private static SloEvaluator.Subject subject(AppliedSteps.Key key, StepRequested step) {
    return new SloEvaluator.Subject(
        key.stack(), key.cluster(), step.getEnvelope().getTenant(), key.component());
  }

  private void warnOnce(Due d, RuntimeException e) {
    String id = d.subject().cluster() + "/" + d.subject().component() + "/" + d.slo().name();
    synchronized (unmeasurable) {
      if (unmeasurable.add(id)) {
        LOG.warn(
            "SLO {} not measured: {} (said once until it is measured again)", id, e.getMessage());
      }
    }
  }

  private void forgetUnmeasurable(Due d) {
    String id = d.subject().cluster() + "/" + d.subject().component() + "/" + d.slo().name();
    synchronized (unmeasurable) {
      unmeasurable.remove(id);
    }
  }
}
