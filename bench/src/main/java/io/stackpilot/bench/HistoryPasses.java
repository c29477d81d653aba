package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.history.FleetHistory;
import io.stackpilot.history.FleetState;
import io.stackpilot.history.StateFold;
import io.stackpilot.history.TopicRangeReader;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The two reads of {@link HistoryBenchmark}: (a) a bare consumer that decodes every value and does
 * nothing else, and (b) the audit's rebuild through platform/history's own classes.
 */
final class HistoryPasses {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final TopicRangeReader.Settings settings;
  private final List<String> topics;
  private final Duration timeout;

  HistoryPasses(TopicRangeReader.Settings settings, List<String> topics, Duration timeout) {
    this.settings = settings;
    this.topics = List.copyOf(topics);
    this.timeout = timeout;
  }

  /**
   * One pass: events read, value bytes, wall and calling-thread CPU nanos, process CPU seconds, GC
   * pause millis (the collectors' MXBeans), load around it; for (b) the phases (nanos), the GC
   * pause millis within each phase, and what was rebuilt.
   */
  record Result(
      String label,
      long events,
      long bytes,
      long nanos,
      long threadCpuNanos,
      double processCpuSeconds,
      long gcMillis,
      double loadStart,
      double loadEnd,
      long[] phases,
      long[] phaseGcMillis,
      Rebuilt rebuilt) {
    double perSecond() {
      return events / (nanos / 1e9);
    }

    double cpuMicrosPerEvent() {
      return threadCpuNanos / 1e3 / events;
    }
  }

  /** What (b) rebuilt; held by the caller so that the heap it takes can be measured. */
  record Rebuilt(
      TopicRangeReader.Loaded loaded,
      FleetHistory history,
      StateFold fold,
      FleetState state,
      String hash) {}

  static final String[] PHASES = {
    "read (TopicRangeReader.read)",
    "sort (Loaded.history)",
    "fold (StateFold.of)",
    "derive (StateFold.state)",
    "hash (FleetState.hash)"
  };

  /**
   * (a): assign, seek to the beginning, poll up to the end offsets, decode each value. With {@code
   * retain}, each decoded value is also kept in a list until the pass ends, as the reader keeps its
   * events (a diagnostic: what holding the decoded range costs, without the reader's code).
   */
  Result bare(String label, boolean retain) throws Exception {
    double load = HistoryBenchmark.load();
    double cpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
    long gc0 = gcMillis();
    List<Object> kept = new ArrayList<>();
    long thread0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    ConfluentAvroDeserializer decoder = ConfluentAvroDeserializer.specific(settings.registryUrl());
    long events = 0;
    long bytes = 0;
    long decoded = 0;
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> begin =
          consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
      long expected = 0;
      for (TopicPartition tp : partitions) {
        expected += end.get(tp) - begin.get(tp);
      }
      long deadline = t0 + timeout.toNanos();
      while (events < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("(a) read " + events + " of " + expected + " in time");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Object value = decoder.deserialize(record.topic(), record.headers(), record.value());
          if (value instanceof SpecificRecord) {
            decoded++;
          }
          if (retain) {
            kept.add(value);
          }
          bytes += record.serializedValueSize();
          events++;
        }
      }
    }
    long nanos = System.nanoTime() - t0;
    long thread = THREADS.getCurrentThreadCpuTime() - thread0;
    double cpu = ProcessCpu.seconds(ProcessHandle.current().pid()) - cpu0;
    long gc = gcMillis() - gc0;
    if (decoded != events || (retain && kept.size() != events)) {
      throw new IllegalStateException("(a) decoded " + decoded + " of " + events + " values");
    }
    return new Result(
        label,
        events,
        bytes,
        nanos,
        thread,
        cpu,
        gc,
        load,
        HistoryBenchmark.load(),
        null,
        null,
        null);
  }

  /**
   * (b): the audit's rebuild: {@link TopicRangeReader#read} of the whole range, {@link
   * TopicRangeReader.Loaded#history()} (sorted by occurredAt then position), then the state after
   * every event and its hash, as {@link FleetHistory#state()} computes it (StateFold.of over the
   * sorted events, then state()), each phase timed on its own.
   */
  Result rebuild(String label) throws Exception {
    double load = HistoryBenchmark.load();
    double cpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
    long thread0 = THREADS.getCurrentThreadCpuTime();
    long[] phases = new long[PHASES.length];
    long[] gc = new long[PHASES.length + 1];
    gc[0] = gcMillis();
    long t0 = System.nanoTime();
    TopicRangeReader.Loaded loaded =
        new TopicRangeReader(settings, null, timeout)
            .read(new TopicRangeReader.Range(topics, null));
    long t1 = System.nanoTime();
    gc[1] = gcMillis();
    FleetHistory history = loaded.history();
    long t2 = System.nanoTime();
    gc[2] = gcMillis();
    StateFold fold = StateFold.of(history.events());
    long t3 = System.nanoTime();
    gc[3] = gcMillis();
    FleetState state = fold.state();
    long t4 = System.nanoTime();
    gc[4] = gcMillis();
    String hash = state.hash();
    long t5 = System.nanoTime();
    gc[5] = gcMillis();
    long[] phaseGc = new long[PHASES.length];
    for (int i = 0; i < PHASES.length; i++) {
      phaseGc[i] = gc[i + 1] - gc[i];
    }
    long thread = THREADS.getCurrentThreadCpuTime() - thread0;
    double cpu = ProcessCpu.seconds(ProcessHandle.current().pid()) - cpu0;
    phases[0] = t1 - t0;
    phases[1] = t2 - t1;
    phases[2] = t3 - t2;
    phases[3] = t4 - t3;
    phases[4] = t5 - t4;
    if (!loaded.skipped().isEmpty()) {
      throw new IllegalStateException(
          "(b) skipped " + loaded.skipped().size() + ", first: " + loaded.skipped().get(0));
    }
    return new Result(
        label,
        loaded.events().size(),
        -1,
        t5 - t0,
        thread,
        cpu,
        gc[5] - gc[0],
        load,
        HistoryBenchmark.load(),
        phases,
        phaseGc,
        new Rebuilt(loaded, history, fold, state, hash));
  }

  /** Collection time of every collector so far (for G1 in JDK 17: its pauses), in millis. */
  static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** The reader's consumer settings, but its own client id: read_committed, no group. */
  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "stackpilot-bench-bare-read");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
