package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.rules.RuleBook;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The planning benchmark: what planning one change for a large fleet costs, alone and with its
 * events published, against the raw cost of publishing as many StepRequested records. One run, one
 * broker and registry, identical producer settings for both producers.
 */
@Command(
    name = "plan-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Plans an 8-component stack for a fleet of clusters: plan only, plan + publish, and a raw"
            + " baseline; prints plans/s, steps/s and CPU per step.")
public final class PlanBenchmark implements Callable<Integer> {

  @Option(names = "--clusters", defaultValue = "1000", description = "clusters in the fleet")
  int clusters;

  @Option(names = "--plans", defaultValue = "10", description = "plans per timed pass")
  int plans;

  @Option(names = "--warmup-plans", defaultValue = "5", description = "plans per warm-up pass")
  int warmupPlans;

  @Option(names = "--repeat", defaultValue = "3", description = "timed repetitions")
  int repeat;

  @Mixin BenchOptions where;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    BenchOptions.main(new PlanBenchmark(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (clusters < 1 || plans < 1 || warmupPlans < 1 || repeat < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--clusters, --plans, --warmup-plans, --repeat must be > 0");
    }
    out.println("Stackpilot plan benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(PublishLadder.machine());
    long t0 = System.nanoTime();
    PlanWorkload workload = PlanWorkload.declare(PlanStack.documents(clusters));
    double coldSeconds = (System.nanoTime() - t0) / 1e9;
    try (BenchEnvironment env = BenchEnvironment.start(where.bootstrap, where.registry)) {
      PlanPasses passes =
          new PlanPasses(env, workload, Long.toString(System.currentTimeMillis(), 36));
      passes.createTopics(repeat, where.replicationFactor);
      printHeader(env, workload, passes, coldSeconds);
      warmUpAndCheck(env, workload, passes);
      PlanReport report = new PlanReport(out, workload.stepsPerPlan());
      for (int pass = 1; pass <= repeat; pass++) {
        report.repetition(
            pass,
            repeat,
            List.of(
                passes.raw(pass, plans),
                passes.planOnly(passes.changes(plans)),
                passes.publish(pass, passes.changes(plans))));
      }
      report.medians();
      out.printf(
          "%n(b) plan + publish / (c) raw, median of the per-repetition ratios: steps/s %.3fx"
              + " (raw publishes %.0fx as many records/s), cpu-us per step %.1fx%n",
          report.medianRatio(2, RunResult::recordsPerSecond),
          1 / report.medianRatio(2, RunResult::recordsPerSecond),
          report.medianRatio(2, RunResult::cpuMicrosPerRecord));
      new PlanPhases().print(out, passes.changes(plans), workload);
      printNotes(passes);
      env.deleteTopicsIfExternal(passes.topicNames(repeat));
    }
    return 0;
  }

  /** A pass of each measurement that is not reported, and the checks printed. */
  private void warmUpAndCheck(BenchEnvironment env, PlanWorkload workload, PlanPasses passes)
      throws Exception {
    int steps = workload.stepsPerPlan();
    out.printf("%nwarm-up (%d plans per measurement, not reported) and checks%n", warmupPlans);
    out.printf(
        "  default : send(RolloutPlanned) with Kafka's default max.request.size: %s%n",
        passes.defaultRequestSizeOutcome());
    RunResult raw = passes.raw(0, warmupPlans);
    out.printf("%-22s warm-up %,.0f records/s%n", PlanPasses.ROW_RAW, raw.recordsPerSecond());
    out.printf(
        "  on wire : %s%n", WireCheck.describeFirstRecord(env.bootstrapServers(), passes.raws(0)));
    RunResult plan = passes.planOnly(passes.changes(warmupPlans));
    out.printf(
        "%-22s warm-up %.2f plans/s%n", PlanPasses.ROW_PLAN, plan.recordsPerSecond() / steps);
    RunResult published = passes.publish(0, passes.changes(warmupPlans));
    out.printf(
        "%-22s warm-up %.2f plans/s%n",
        PlanPasses.ROW_PUBLISH, published.recordsPerSecond() / steps);
    out.printf(
        "  steps   : %s%n", WireCheck.describeFirstRecord(env.bootstrapServers(), passes.steps(0)));
    out.printf(
        "  rollouts: %s%n",
        WireCheck.describeFirstRecord(env.bootstrapServers(), passes.rollouts(0)));
    List<String> differences =
        ProducerSettings.differences(passes.rawConfig("check"), passes.publishConfig("check"));
    out.printf(
        "  settings: (b) vs (c): %s%n",
        differences.isEmpty()
            ? "no producer setting differs (all ProducerConfig keys compared)"
            : String.join("; ", differences));
  }

  private void printHeader(
      BenchEnvironment env, PlanWorkload workload, PlanPasses passes, double coldSeconds) {
    Plan plan = workload.firstPlan();
    int steps = workload.stepsPerPlan();
    EncodedSteps encoded = passes.encoded();
    out.println("broker   : " + env.brokerKind() + " at " + env.bootstrapServers());
    out.println("registry : " + env.registryKind() + " at " + env.registryUrl());
    out.printf(
        "stack    : %s, %d components (%s), %,d YAML chars with the fleet%n",
        PlanStack.STACK_RESOURCE,
        workload.components(),
        String.join(
            ", ",
            plan.steps().stream().limit(workload.components()).map(Plan.Step::component).toList()),
        workload.documents().length());
    out.printf(
        "fleet    : %,d clusters (%s..%s), a tenant each, region and tier labels, one override"
            + " each; rollout canary [%s], batchSize %s, soakSeconds %d%n",
        clusters,
        PlanStack.name(1),
        PlanStack.name(clusters),
        PlanStack.CANARY,
        PlanStack.BATCH_SIZE,
        PlanStack.SOAK_SECONDS);
    out.printf(
        "plan     : %d waves, %,d steps per plan; findings: %s; first admission (cold JVM) %.1f s%n",
        plan.waves().size(), steps, workload.findingsSummary(), coldSeconds);
    out.printf(
        "events   : per plan 1 RolloutPlanned of %,d B and %,d StepRequested of %.0f B mean"
            + " (%.1f MB), as ConfluentAvroSerializer writes them (5-byte header + Avro)%n",
        passes.rolloutBytes(), steps, encoded.meanValueBytes(), encoded.valueBytes() / 1e6);
    out.printf(
        "producer : %s, max.request.size=%d (Kafka's default: %d); the same for (b) and (c)"
            + " (checked below)%n",
        ProducerSettings.describeCommon(),
        passes.maxRequestBytes(),
        PlanPasses.DEFAULT_MAX_REQUEST_BYTES);
    out.printf(
        "passes   : %d plans (%,d steps) per timed pass, warm-up %d plans, %d repetitions; each"
            + " repetition runs (c), (a), (b) in that order; System.gc() and 200 ms pause before"
            + " each timed pass%n",
        plans, plans * steps, warmupPlans, repeat);
    out.printf(
        "(a)      : Admission.admit of each change (parse, validate, %d rules, plan), as the"
            + " planner's consumer calls it; one thread; cpu = that thread%n",
        RuleBook.standard().rules().size());
    out.println(
        "(b)      : (a), then the planner's PlanEvents: 1 RolloutPlanned +"
            + " 1 StepRequested per step, sent by KafkaProducer<String, Object> (StringSerializer,"
            + " ConfluentAvroSerializer) keyed by Topic.ROLLOUTS/STEPS.keyOf; flush() ends the"
            + " pass; cpu = sending thread + its producer's network thread");
    out.printf(
        "(c)      : KafkaProducer<byte[], byte[]> sends as many StepRequested records as (b):"
            + " one plan's %,d records, encoded before any timing, cycled; no RolloutPlanned;"
            + " cpu = sending thread + network thread%n",
        encoded.count());
    out.printf(
        "topics   : fresh per measurement and pass; rollouts %d partitions (max.message.bytes"
            + " %d), steps %d partitions, replication factor %d%n",
        Topic.ROLLOUTS.partitions(),
        passes.maxRequestBytes(),
        Topic.STEPS.partitions(),
        where.replicationFactor);
    out.println(
        "timing   : steps/s = steps / wall time of the pass (publishing: first send() to the"
            + " return of flush()); plans/s = steps/s / steps per plan; cpu-us/step from"
            + " ThreadMXBean deltas around the pass; proc-us = the whole process, broker included"
            + " when in-JVM, for context; value-MB/s = bytes of the record values published per second"
            + " (sizes from 'events')");
  }

  private void printNotes(PlanPasses passes) {
    out.println();
    out.println("notes");
    if (passes.rolloutBytes() > PlanPasses.DEFAULT_MAX_REQUEST_BYTES) {
      out.println(
          "- This plan's RolloutPlanned is larger than Kafka's default max.request.size (producer)"
              + " and message.max.bytes (broker), both 1 MiB: see 'default' above. The planner"
              + " service sets neither, so as configured it could not publish this plan. The bench"
              + " raises both, for (b) and (c) alike.");
    }
    out.println(
        "- (b) uses a plain KafkaProducer, like the ladder's '+ registry serde' rung: no"
            + " EventPublisher, StreamBridge or binder. The ladder measured that path at about 10x"
            + " the raw client CPU per record; the service pays it on top of (b).");
    out.println(
        "- (b) also publishes each plan's RolloutPlanned (see 'events'); (c) sends only"
            + " StepRequested records, so those bytes count against (b).");
    out.println(
        "- Planning runs on one thread, as the planner's consumer handles one change at a time."
            + " Envelopes get random UUID event ids, as the service's do.");
  }
}
