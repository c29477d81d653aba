package io.stackpilot.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The publish ladder: how much each layer between a service and Kafka costs. In one run, against
 * one broker and with identical producer settings, it publishes the same records four ways (raw
 * bytes, + Avro encoding, + registry serde, + Spring Cloud Stream) and prints each against the raw
 * baseline measured in that run.
 */
@Command(
    name = "publish-ladder",
    mixinStandardHelpOptions = true,
    description =
        "Publishes N StepApplied events per rung and prints records/s and CPU per record.")
public final class PublishLadder implements Callable<Integer> {
  private static final String[] SLUGS = {"raw", "avro", "serde", "scst"};

  @Option(names = "--records", defaultValue = "200000", description = "records per rung per pass")
  int records;

  @Option(names = "--repeat", defaultValue = "3", description = "timed repetitions")
  int repeat;

  @Option(
      names = "--warmup-percent",
      defaultValue = "20",
      description = "warm-up pass size, % of --records")
  int warmupPercent;

  @Option(names = "--partitions", defaultValue = "6", description = "partitions per topic")
  int partitions;

  @Mixin BenchOptions where;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    BenchOptions.main(new PublishLadder(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (records < 1 || repeat < 1 || warmupPercent < 1 || partitions < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--records, --repeat, --warmup-percent, --partitions must be > 0");
    }
    int warmup = Math.max(1, (int) ((long) records * warmupPercent / 100));
    out.println("Stackpilot publish ladder, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(machine());
    try (BenchEnvironment env = BenchEnvironment.start(where.bootstrap, where.registry)) {
      SampleEvents samples = SampleEvents.build(records);
      List<Rung> rungs =
          List.of(
              new RawBytesRung(env.bootstrapServers(), samples),
              new AvroEncodingRung(env.bootstrapServers(), samples),
              new RegistrySerdeRung(env.bootstrapServers(), env.registryUrl(), samples),
              new StreamBindingRung(env.bootstrapServers(), env.registryUrl(), samples));
      String runId = Long.toString(System.currentTimeMillis(), 36);
      List<String> topics = new ArrayList<>();
      for (int pass = 0; pass <= repeat; pass++) {
        for (int rung = 0; rung < rungs.size(); rung++) {
          topics.add(topic(runId, rung, pass));
        }
      }
      env.createTopics(topics, partitions, where.replicationFactor);
      printHeader(env, samples, warmup);
      Measurement measurement = new Measurement();
      warmUpAndCheck(env, rungs, measurement, runId, warmup);
      LadderReport report = new LadderReport(out, rungs.stream().map(Rung::label).toList());
      for (int pass = 1; pass <= repeat; pass++) {
        List<RunResult> results = new ArrayList<>();
        for (int rung = 0; rung < rungs.size(); rung++) {
          String topic = topic(runId, rung, pass);
          try (Rung.Session session = rungs.get(rung).open(topic, clientId(rung, pass))) {
            results.add(
                measurement.time(rungs.get(rung), measurement.prepare(session), topic, records));
          }
        }
        report.repetition(pass, repeat, results);
      }
      report.medians();
      printNotes();
      env.deleteTopicsIfExternal(topics);
    }
    return 0;
  }

  /** A pass of every rung that is not reported: JIT, connections, and the checks printed. */
  private void warmUpAndCheck(
      BenchEnvironment env, List<Rung> rungs, Measurement measurement, String runId, int warmup)
      throws Exception {
    out.printf("%nwarm-up (%,d records per rung, not reported) and checks%n", warmup);
    Map<String, Object> rawConfig = null;
    for (int rung = 0; rung < rungs.size(); rung++) {
      Rung step = rungs.get(rung);
      String topic = topic(runId, rung, 0);
      try (Rung.Session session = step.open(topic, clientId(rung, 0))) {
        Measurement.Prepared prepared = measurement.prepare(session);
        RunResult result = measurement.time(step, prepared, topic, warmup);
        if (rawConfig == null) {
          rawConfig = session.producerConfig();
        }
        List<String> differences =
            ProducerSettings.differences(rawConfig, session.producerConfig());
        out.printf("%-22s warm-up %,.0f records/s%n", step.label(), result.recordsPerSecond());
        out.printf(
            "  producer : %s (client.id %s)%n",
            ProducerSettings.watched(session.producerConfig()), prepared.clientId());
        out.printf(
            "  vs raw   : %s%n",
            differences.isEmpty()
                ? "no producer setting differs (all ProducerConfig keys compared)"
                : String.join("; ", differences));
        if (!session.notes().isEmpty()) {
          out.printf("  context  : %s%n", session.notes());
        }
      }
      out.printf("  on wire  : %s%n", WireCheck.describeFirstRecord(env.bootstrapServers(), topic));
    }
  }

  private void printHeader(BenchEnvironment env, SampleEvents samples, int warmup) {
    out.println("broker   : " + env.brokerKind() + " at " + env.bootstrapServers());
    out.println("registry : " + env.registryKind() + " at " + env.registryUrl());
    out.println(
        "producer : "
            + ProducerSettings.describeCommon()
            + "; the same for every rung (checked below)");
    out.printf(
        "records  : %,d per rung per pass (+1 untimed priming record), warm-up %,d, %d"
            + " repetitions; StepApplied with envelope and 2 resource refs, mean value %.0f B"
            + " (5-byte header + Avro), keyed by cluster (40 keys)%n",
        samples.count(), warmup, repeat, samples.meanEncodedSize());
    out.printf(
        "topics   : a fresh topic per rung and pass, %d partitions, replication factor %d%n",
        partitions, where.replicationFactor);
    out.println(
        "timing   : records/s = N / wall time from the first send() to the return of flush()"
            + " (every record acknowledged)");
    out.println(
        "cpu      : cpu-us/rec = (CPU of the sending thread + CPU of the producer's thread"
            + " 'kafka-producer-network-thread | <client.id>') / N, ThreadMXBean.getThreadCpuTime"
            + " deltas around the timed window (sender-us + network-us in the detail tables);"
            + " broker, registry, GC and JIT threads excluded."
            + " proc-us = CPU of the whole process (broker included when in-JVM), for context;"
            + " rec-size = the producer's record-size-avg metric (its size estimate, batch overhead"
            + " included)");
    out.println(
        "order    : rungs run in ladder order within each repetition; System.gc() and 200 ms"
            + " pause before each timed pass");
  }

  private void printNotes() {
    out.println();
    out.println("notes");
    out.println(
        "- raw bytes and + avro encoding put a placeholder schema id (1) in the 5-byte header;"
            + " they never call the registry.");
    out.println(
        "- + registry serde registers the schema on the priming record (one new subject per"
            + " fresh topic) and uses the serializer's cache after; keys go through"
            + " StringSerializer.");
    out.println(
        "- + spring cloud stream = EventPublisher.publish -> StreamBridge -> Kafka binder"
            + " (KafkaProducerMessageHandler, KafkaTemplate) -> KafkaProducer with native encoding"
            + " (StringSerializer, ConfluentAvroSerializer), one Spring Boot context per pass"
            + " (started before the clock). Producer settings are given as"
            + " spring.cloud.stream.kafka.binder.producer-properties.* and read back from the"
            + " binder's producer factory above.");
    out.println(
        "  Not removed: its records carry the stackpilot-* headers EventPublisher sets (see"
            + " 'on wire'); per record EventPublisher derives topic, key and headers and builds a"
            + " Message, StreamBridge copies it and runs its pass-through function under a lock,"
            + " KafkaTemplate completes a future. EventPublisher's per-event INFO line is switched"
            + " off (logger at WARN; its arguments are still built): a service logging at INFO"
            + " pays one log line per event on top of this.");
  }

  private static String topic(String runId, int rung, int pass) {
    return "bench.ladder." + runId + "." + SLUGS[rung] + "." + passName(pass);
  }

  private static String clientId(int rung, int pass) {
    return "ladder-" + SLUGS[rung] + "-" + passName(pass);
  }

  private static String passName(int pass) {
    return pass == 0 ? "warmup" : "r" + pass;
  }

  static String machine() {
    Runtime runtime = Runtime.getRuntime();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    String gcs =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining("/"));
    return String.format(
        "machine  : %d cores%s, %.1f GiB RAM, %s %s %s; %s %s; heap max %.1f GiB; GC %s;"
            + " system load average (1 min) at start %.2f",
        runtime.availableProcessors(),
        cpuModel(),
        os.getTotalMemorySize() / (double) (1L << 30),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        runtime.maxMemory() / (double) (1L << 30),
        gcs,
        os.getSystemLoadAverage());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> " (" + line.substring(line.indexOf(':') + 1).trim() + ")")
          .findFirst()
          .orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
