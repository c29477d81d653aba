package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.history.FleetState;
import io.stackpilot.history.TopicRangeReader;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The history benchmark: rebuilds the fleet's state from a recorded history of at least a million
 * events with platform/history's own reader and fold, next to a bare consumer that reads and
 * decodes the same topics, in one run.
 */
@Command(
    name = "history-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Records a Stackpilot history of --events events on the catalog topics, then reads it"
            + " back (a) with a bare consumer plus Avro decode and (b) with the audit's rebuild"
            + " (TopicRangeReader, FleetHistory, StateFold, FleetState hash); prints events/s,"
            + " the ratio (b)/(a), heap and the state's size.")
public final class HistoryBenchmark implements Callable<Integer> {
  private static final String HEADER =
      String.format(
          "%-34s %10s %11s %8s %8s %9s %10s %7s",
          "pass", "events", "events/s", "ratio", "wall-s", "cpu-us/ev", "proc-cpu-s", "gc-s");

  @Option(names = "--events", defaultValue = "1000000", description = "at least this many events")
  long target;

  @Option(names = "--clusters", defaultValue = "1000", description = "clusters of the fleet")
  int clusters;

  @Option(names = "--components", defaultValue = "8", description = "components per cluster (1..8)")
  int components;

  @Option(names = "--repeat", defaultValue = "3", description = "timed passes of each read")
  int repeat;

  @Option(names = "--seed", defaultValue = "7", description = "of the generated history")
  long seed;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "900",
      description = "longest read of the range (the reader's timeout)")
  int timeoutSeconds;

  @Mixin BenchOptions where;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    BenchOptions.main(new HistoryBenchmark(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (clusters < 2 || components < 1 || components > 8 || repeat < 1 || target < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--clusters > 1, --components 1..8, --repeat and --events > 0");
    }
    out.println("Stackpilot history benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(PublishLadder.machine());
    out.println("load     : /proc/loadavg at start: " + loadavg());
    try (BenchEnvironment env = BenchEnvironment.start(where.bootstrap, where.registry)) {
      String prefix =
          where.bootstrap == null
              ? ""
              : "bench-history-" + Long.toString(System.currentTimeMillis(), 36) + ".";
      List<String> names = Topic.allNames().stream().map(n -> prefix + n).toList();
      out.println("broker   : " + env.brokerKind() + " at " + env.bootstrapServers());
      out.println("registry : " + env.registryKind() + " at " + env.registryUrl());
      out.println(
          "topics   : every catalog topic ("
              + names.size()
              + "), with the catalog's partitions, retention and max.message.bytes"
              + (prefix.isEmpty() ? "" : ", names prefixed " + prefix));
      env.createTopics(catalogTopics(prefix));
      HistoryWorkload workload = record(env, prefix);
      HistoryPasses passes =
          new HistoryPasses(
              new TopicRangeReader.Settings(env.bootstrapServers(), env.registryUrl()),
              names,
              Duration.ofSeconds(timeoutSeconds));
      run(passes, workload);
      out.println("load     : /proc/loadavg at end: " + loadavg());
      env.deleteTopicsIfExternal(names);
    }
    return 0;
  }

  private List<NewTopic> catalogTopics(String prefix) {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      topics.add(
          new NewTopic(prefix + topic.topicName(), topic.partitions(), where.replicationFactor)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanupPolicy(),
                      TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().millis()),
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                          Integer.toString(topic.maxMessageBytes()))));
    }
    return topics;
  }

  /** Generates the history and produces it; the clock here is the produce time, reported apart. */
  private HistoryWorkload record(BenchEnvironment env, String prefix) throws Exception {
    Map<String, Object> config =
        ProducerSettings.forClient(
            env.bootstrapServers(),
            "stackpilot-bench-history-recorder",
            StringSerializer.class,
            ConfluentAvroSerializer.class);
    config.put(ConfluentAvroSerializer.SCHEMA_REGISTRY_URL_CONFIG, env.registryUrl());
    config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topic.MAX_EVENT_BYTES));
    AtomicLong bytes = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    HistoryWorkload workload;
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      workload =
          new HistoryWorkload(
              ApplyWorkload.clusters(clusters),
              components,
              seed,
              (topic, event) ->
                  producer.send(
                      new ProducerRecord<>(prefix + topic.topicName(), topic.keyOf(event), event),
                      (metadata, e) -> {
                        if (e != null) {
                          failure.compareAndSet(null, e);
                        } else {
                          bytes.addAndGet(metadata.serializedValueSize());
                        }
                      }));
      workload.generate(target);
      producer.flush();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("producing the history failed", failure.get());
    }
    out.printf(
        "history  : %,d events (%d rollouts of stack %s on %,d clusters x %d components, waves"
            + " of 1 then 10%%), %,d value bytes (%.1f MB, %.0f B per event on average)%n",
        workload.events(),
        workload.rollouts(),
        HistoryWorkload.STACK,
        clusters,
        components,
        bytes.get(),
        bytes.get() / 1e6,
        bytes.get() / (double) workload.events());
    StringBuilder perTopic = new StringBuilder();
    workload
        .counts()
        .forEach((t, n) -> perTopic.append(String.format("%s %,d; ", t.topicName(), n)));
    out.println("per topic: " + perTopic.toString().replaceAll("; $", ""));
    out.printf(
        "produce  : %.1f s (%,.0f events/s) with ConfluentAvroSerializer through the registry,"
            + " generation included, acks=all, linger.ms=20, batch.size=262144, compression none;"
            + " not part of any figure below%n",
        seconds, workload.events() / seconds);
    return workload;
  }

  private void run(HistoryPasses passes, HistoryWorkload workload) throws Exception {
    out.println(
        "(a)      : KafkaConsumer assign + seekToBeginning over every partition, poll to the end"
            + " offsets (read_committed, max.partition.fetch.bytes as the reader), each value"
            + " decoded by ConfluentAvroDeserializer (specific reader); nothing else");
    out.println(
        "(b)      : the audit's rebuild: TopicRangeReader.read (same topics, from the"
            + " beginning), Loaded.history() (sort), StateFold.of + state() (=FleetHistory.state())"
            + " and FleetState.hash()");
    out.println(
        "(a+)     : diagnostic, not in the ratio: (a), but every decoded value is also kept in a"
            + " list until the pass ends, as the reader keeps its events; run after each pair");
    double heapBefore = heapAfterGc();
    out.printf(
        "heap     : %.0f MB used after a GC before the passes (broker, registry)%n", heapBefore);
    out.println();
    out.println("warm-up (one pass of each, not counted)");
    out.println(HEADER);
    HistoryPasses.Result wa = pass(passes, "(a)", "warm-up", null);
    HistoryPasses.Result wb = pass(passes, "(b)", "warm-up", wa);
    check(workload, wb);
    String hash = wb.rebuilt().hash();
    wb = null;
    wa = null;
    List<HistoryPasses.Result> as = new ArrayList<>();
    List<HistoryPasses.Result> bs = new ArrayList<>();
    List<HistoryPasses.Result> kept = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    double heapWithEvents = 0;
    double heapStateOnly = 0;
    FleetState state = null;
    for (int r = 1; r <= repeat; r++) {
      out.printf(
          "%nrepetition %d/%d (order: %s)%n", r, repeat, r % 2 == 1 ? "(a), (b)" : "(b), (a)");
      out.println(HEADER);
      HistoryPasses.Result a;
      HistoryPasses.Result b;
      if (r % 2 == 1) {
        a = pass(passes, "(a)", "bare consumer + Avro decode", null);
        b = pass(passes, "(b)", "rebuild (history)", a);
      } else {
        b = pass(passes, "(b)", "rebuild (history)", null);
        a = pass(passes, "(a)", "bare consumer + Avro decode", null);
        row(b, b.perSecond() / a.perSecond());
      }
      if (!b.rebuilt().hash().equals(hash)) {
        throw new IllegalStateException("the rebuilt state differs between passes");
      }
      ratios.add(b.perSecond() / a.perSecond());
      phases(b);
      heapWithEvents = heapAfterGc();
      Reference.reachabilityFence(b.rebuilt());
      state = b.rebuilt().state();
      b = strip(b);
      heapStateOnly = heapAfterGc();
      Reference.reachabilityFence(state);
      out.printf(
          "heap after this rebuild and a GC: %.0f MB used holding the loaded events, the sorted"
              + " history, the fold and the state; %.0f MB holding the state alone (%.0f MB"
              + " before the passes)%n",
          heapWithEvents, heapStateOnly, heapBefore);
      as.add(a);
      bs.add(b);
      kept.add(pass(passes, "(a+)", "(a) keeping every value", a));
    }
    summary(as, bs, ratios);
    summaryRow("(a+) (a) keeping every value", kept);
    List<Double> read = new ArrayList<>();
    List<Double> readKept = new ArrayList<>();
    for (int i = 0; i < bs.size(); i++) {
      read.add(as.get(i).nanos() / (double) bs.get(i).phases()[0]);
      readKept.add(kept.get(i).nanos() / (double) bs.get(i).phases()[0]);
    }
    out.printf(
        "the read phase of (b) alone (TopicRangeReader.read): median %.3fx of (a)'s rate,"
            + " %.3fx of (a+)'s; (a+) / (a): median %.3fx%n",
        median(read), median(readKept), median(ratioOf(kept, as)));
    out.printf(
        "%nstate    : %s; %,d events counted by the fold; %d stack(s), %,d clusters, %,d"
            + " components, %d open alerts; canonical form %,d bytes%n",
        hash,
        state.events(),
        state.stacks().size(),
        state.clusters().size(),
        state.clusters().values().stream()
            .flatMap(c -> c.stacks().values().stream())
            .mapToInt(Map::size)
            .sum(),
        state.clusters().values().stream().mapToInt(c -> c.openAlerts().size()).sum()
            + state.unscopedAlerts().size(),
        state.canonicalBytes().length);
    out.printf(
        "heap     : after the last rebuild and a GC, %.0f MB used with the loaded range held"
            + " (%.0f MB more than before the passes), %.0f MB with the state alone (%+.0f MB)%n",
        heapWithEvents, heapWithEvents - heapBefore, heapStateOnly, heapStateOnly - heapBefore);
  }

  /** Runs one pass after a GC and a pause, prints its row; {@code a} given: ratio against it. */
  private HistoryPasses.Result pass(
      HistoryPasses passes, String which, String label, HistoryPasses.Result a) throws Exception {
    System.gc();
    Thread.sleep(200);
    HistoryPasses.Result result =
        which.equals("(b)")
            ? passes.rebuild(which + " " + label)
            : passes.bare(which + " " + label, which.equals("(a+)"));
    if (!which.equals("(b)") || a != null) {
      row(result, a == null ? 1.0 : result.perSecond() / a.perSecond());
    }
    return result;
  }

  private void row(HistoryPasses.Result r, double ratio) {
    out.printf(
        "%-34s %,10d %,11.0f %7.3fx %8.2f %9.2f %10.1f %7.2f   (load %.1f-%.1f)%n",
        r.label(),
        r.events(),
        r.perSecond(),
        ratio,
        r.nanos() / 1e9,
        r.cpuMicrosPerEvent(),
        r.processCpuSeconds(),
        r.gcMillis() / 1e3,
        r.loadStart(),
        r.loadEnd());
  }

  private void phases(HistoryPasses.Result b) {
    StringBuilder line = new StringBuilder("  (b) phases:");
    for (int i = 0; i < HistoryPasses.PHASES.length; i++) {
      line.append(
          String.format(
              " %s %.2f s (%.0f%%, GC pauses %.2f s);",
              HistoryPasses.PHASES[i],
              b.phases()[i] / 1e9,
              100.0 * b.phases()[i] / b.nanos(),
              b.phaseGcMillis()[i] / 1e3));
    }
    out.println(line.toString().replaceAll(";$", ""));
  }

  private void check(HistoryWorkload workload, HistoryPasses.Result b) {
    long folded = b.rebuilt().fold().events();
    out.printf(
        "checks   : (b) loaded %,d events, skipped none; the fold counted %,d distinct audit"
            + " events; %,d were produced%s%n",
        b.events(),
        folded,
        workload.events(),
        b.events() == workload.events() && folded == workload.events() ? " (all equal)" : " (!)");
    if (b.events() != workload.events() || folded != workload.events()) {
      throw new IllegalStateException("(b) did not rebuild from every produced event");
    }
  }

  private void summary(
      List<HistoryPasses.Result> as, List<HistoryPasses.Result> bs, List<Double> ratios) {
    out.printf("%nsummary over %d repetitions (events/s)%n", repeat);
    out.printf("%-34s %11s %11s %11s%n", "measurement", "best", "median", "worst");
    summaryRow("(a) bare consumer + Avro decode", as);
    summaryRow("(b) rebuild (history)", bs);
    out.printf(
        "ratio (b)/(a): per repetition %s; median %.3fx; best (b) / best (a) %.3fx%n",
        ratios.stream().map(x -> String.format("%.3fx", x)).toList(),
        median(ratios),
        best(bs) / best(as));
  }

  private void summaryRow(String label, List<HistoryPasses.Result> results) {
    List<Double> rates = results.stream().map(HistoryPasses.Result::perSecond).toList();
    out.printf(
        "%-34s %,11.0f %,11.0f %,11.0f%n",
        label,
        best(results),
        median(rates),
        rates.stream().min(Comparator.naturalOrder()).orElseThrow());
  }

  private static List<Double> ratioOf(
      List<HistoryPasses.Result> xs, List<HistoryPasses.Result> as) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      ratios.add(xs.get(i).perSecond() / as.get(i).perSecond());
    }
    return ratios;
  }

  private static double best(List<HistoryPasses.Result> results) {
    return results.stream().mapToDouble(HistoryPasses.Result::perSecond).max().orElseThrow();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static HistoryPasses.Result strip(HistoryPasses.Result r) {
    return new HistoryPasses.Result(
        r.label(),
        r.events(),
        r.bytes(),
        r.nanos(),
        r.threadCpuNanos(),
        r.processCpuSeconds(),
        r.gcMillis(),
        r.loadStart(),
        r.loadEnd(),
        r.phases(),
        r.phaseGcMillis(),
        null);
  }

  /** Heap used (MB) after two full GCs and a pause. */
  private static double heapAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    System.gc();
    Thread.sleep(200);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String loadavg() throws IOException {
    Path file = Path.of("/proc/loadavg");
    return Files.isReadable(file) ? Files.readString(file).trim() : String.format("%.2f", load());
  }
}
