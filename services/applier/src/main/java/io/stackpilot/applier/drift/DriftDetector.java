package io.stackpilot.applier.drift;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventLog;
import io.stackpilot.runtime.LogLoop;
import io.stackpilot.runtime.PartitionedLog;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Finds live objects that no longer hold what the applier last applied to them, and says so on
 * {@code stackpilot.drift}: a {@code DRIFTED} report when someone changed or deleted them, a {@code
 * RESOLVED} one when they hold it again. It never writes to a cluster: whether drift is corrected
 * is the planner's decision (the fleet's {@code spec.drift.mode}).
 *
 * <p><b>State in the log.</b> What was applied, what is in flight and what was reported are folded
 * from the cluster-keyed topics ({@link #INPUTS}, 6 partitions each, so partition {@code n} of each
 * holds the same clusters). Instances share the work in the consumer group {@link #GROUP} with the
 * range assignor, which gives an instance the same partition numbers of every input: each partition
 * is read from its beginning when assigned, and compared once it is caught up. A restarted or
 * rebalanced detector therefore neither forgets a drift it reported nor reports it twice.
 *
 * <p><b>Rounds.</b> Every {@code interval} the components of caught-up partitions are compared on a
 * small pool ({@code threads}), one GET per rendered object; the loop keeps polling meanwhile, and
 * turns the outcomes into reports. A drift made by hand is therefore reported within one interval
 * plus one round. A cluster that cannot be read is skipped for the round, with a warning. A new
 * round starts only once the reports of the last one are read back, so a report is decided against
 * every report before it.
 */
public final class DriftDetector implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(DriftDetector.class);

  /** The actor of drift reports: nobody asked for them. */
  public static final String ACTOR = "service:applier";

  /** The consumer group that spreads clusters over the detector's instances. */
  public static final String GROUP = "stackpilot-applier-drift";

  static final List<Topic> INPUTS =
      List.of(Topic.STEPS, Topic.STEP_APPLIED, Topic.STEP_FAILED, Topic.DRIFT);

  /** How often to compare, on how many threads, and whether at all. */
  public record Settings(
      String bootstrapServers, String registryUrl, Duration interval, int threads) {}

  private record Outcome(DriftLedger.Applied compared, LiveComparison.Result result) {}

  private final Settings settings;
  private final FleetClients clusters;
  private final Clock clock;
  private final DriftLedger ledger;
  private final LiveComparison comparison = new LiveComparison();
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger comparing = new AtomicInteger();
  private final Set<String> unconfirmed = new HashSet<>();
  private LogLoop loop;
  private ExecutorService pool;
  private Instant nextRound = Instant.MIN;

  private StackpilotMetrics metrics = StackpilotMetrics.NONE;

  /** The service's meters: what the loop reads, writes and lags behind. Set before start. */
  public DriftDetector metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public DriftDetector(Settings settings, FleetClients clusters, Envelopes envelopes, Clock clock) {
    this.settings = settings;
    this.clusters = clusters;
    this.clock = clock;
    this.ledger = new DriftLedger(envelopes);
  }

  @Override
  public void start() {
    pool =
        Executors.newFixedThreadPool(
            settings.threads(), r -> new Thread(r, "applier-drift-compare"));
    loop =
        new LogLoop(
            new LogLoop.Settings(
                "applier-drift",
                new EventLog.Settings(settings.bootstrapServers(), settings.registryUrl(), metrics),
                "applier",
                GROUP,
                INPUTS,
                "drift is no longer detected"),
            new LogLoop.Body() {
              @Override
              public PartitionedLog.Assignment assignment() {
                return new PartitionedLog.Assignment() {
                  @Override
                  public void revoked(Set<Integer> numbers, Collection<TopicPartition> partitions) {
                    unconfirmed.clear(); // the reports of partitions kept are read again
                    numbers.forEach(ledger::revoked);
                  }

                  @Override
                  public void assigned(
                      Set<Integer> numbers, Collection<TopicPartition> partitions) {
                    numbers.forEach(ledger::assigned);
                  }
                };
              }

              @Override
              public void handle(ConsumerRecord<String, byte[]> record) {
                DriftDetector.this.handle(record);
              }

              @Override
              public void afterPoll(ConsumerRecords<String, byte[]> records) {
                report();
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

  private void handle(ConsumerRecord<String, byte[]> record) {
    SpecificRecord event;
    try {
      event = loop.reader().log().decode(record);
    } catch (RuntimeException e) {
      // the step consumer of this service dead-letters what it cannot read on stackpilot.steps;
      // the other inputs are written by Stackpilot's own services
      LOG.warn(
          "drift: skipping undecodable {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return;
    }
    ledger.fold(record.partition(), event);
    if (event instanceof DriftDetected d) {
      unconfirmed.remove(d.getEnvelope().getEventId());
    }
  }

  private void startRoundIfDue() {
    Instant now = clock.instant();
    if (comparing.get() > 0 || !unconfirmed.isEmpty() || now.isBefore(nextRound)) {
      return;
    }
    List<DriftLedger.Applied> due = ledger.due(loop.reader().caughtUp());
    nextRound = now.plus(settings.interval());
    if (due.isEmpty()) {
      return;
    }
    comparing.set(due.size());
    Set<String> unreachable = ConcurrentHashMap.newKeySet();
    for (DriftLedger.Applied applied : due) {
      pool.execute(
          () -> {
            try {
              String cluster = applied.key().cluster();
              if (!unreachable.contains(cluster)) {
                KubernetesClient client = clusters.client(cluster);
                outcomes.add(new Outcome(applied, comparison.compare(client, applied.step())));
              }
            } catch (RuntimeException e) {
              if (unreachable.add(applied.key().cluster())) {
                LOG.warn(
                    "drift: cluster {} not compared this round: {}",
                    applied.key().cluster(),
                    e.toString());
              }
            } finally {
              comparing.decrementAndGet();
            }
          });
    }
  }

  private void report() {
    List<DriftDetected> reports = new ArrayList<>();
    Outcome outcome;
    while ((outcome = outcomes.poll()) != null) {
      ledger
          .report(outcome.compared(), outcome.result().drifted(), outcome.result().checked())
          .ifPresent(reports::add);
    }
    if (reports.isEmpty()) {
      return;
    }
    List<Boolean> written = loop.reader().log().write(reports);
    for (int i = 0; i < reports.size(); i++) {
      DriftDetected d = reports.get(i);
      if (written.get(i)) {
        unconfirmed.add(d.getEnvelope().getEventId());
        if (d.getStatus() == DriftStatus.DRIFTED) {
          LOG.warn(
              "drift on {}: {}/{} no longer holds step {} ({} of {} objects)",
              d.getEnvelope().getCluster(),
              d.getStackName(),
              d.getComponent(),
              d.getStepId(),
              d.getObjects().size(),
              d.getCheckedObjects());
        } else {
          LOG.info(
              "drift on {} resolved: {}/{} holds step {} again",
              d.getEnvelope().getCluster(),
              d.getStackName(),
              d.getComponent(),
              d.getStepId());
        }
      }
    }
  }
}
