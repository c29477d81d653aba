package io.stackpilot.bench;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import io.stackpilot.kube.FleetClients;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The applier benchmark: the applier service applying one plan's steps to a simulated fleet, next
 * to a bare loop of fabric8 server-side applies of the same rendered objects to the same simulator,
 * in one run.
 */
@Command(
    name = "apply-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Applies clusters x components StepRequested with the applier service and with a bare"
            + " fabric8 server-side-apply loop against the fleet simulator; prints steps/s, step"
            + " latency, peak RSS and the ratio.")
public final class ApplyBenchmark implements Callable<Integer> {
  /** The applier's consumer threads (applier.yml: concurrency 6, one per steps partition). */
  static final int APPLIER_THREADS = 6;

  private static final String HEADER =
      String.format(
          "%-28s %9s %10s %8s %9s %9s %10s %10s",
          "measurement", "steps/s", "objects/s", "ratio", "p50-ms", "p99-ms", "e2e-p50", "e2e-p99");

  @Option(names = "--clusters", defaultValue = "1000", description = "simulated clusters")
  int clusters;

  @Option(names = "--components", defaultValue = "8", description = "components per cluster (1..8)")
  int components;

  @Option(names = "--repeat", defaultValue = "1", description = "timed repetitions")
  int repeat;

  @Option(
      names = "--warmup-clusters",
      defaultValue = "100",
      description = "clusters in the unreported warm-up pass (at most --clusters)")
  int warmupClusters;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "900",
      description = "longest wait for one pass's results")
  int timeoutSeconds;

  @Option(
      names = "--applier-jvm-options",
      defaultValue = "",
      description = "JVM options of the applier's process, space-separated (default: none)")
  String applierJvmOptions;

  @Option(
      names = "--applier-start-seconds",
      defaultValue = "180",
      description = "longest wait for the applier's consumers to hold every steps partition")
  int applierStartSeconds;

  @Option(
      names = "--applier-drift",
      defaultValue = "false",
      description =
          "leave the applier's drift detector on (default: off, as its scan every 5 minutes would"
              + " land at an arbitrary point of a pass)")
  boolean applierDrift;

  @Mixin BenchOptions where;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    BenchOptions.main(new ApplyBenchmark(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (clusters < 1 || components < 1 || components > 8 || repeat < 1 || warmupClusters < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--clusters, --repeat must be > 0; --components 1..8");
    }
    out.println("Stackpilot applier benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(PublishLadder.machine());
    String run = Long.toString(System.currentTimeMillis(), 36);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    List<String> names = ApplyWorkload.clusters(clusters);
    try (BenchEnvironment env = BenchEnvironment.start(where.bootstrap, where.registry);
        FleetSimulator fleet = startFleet(names)) {
      Path dir = Files.createTempDirectory("apply-benchmark-");
      Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
      Memory benchUp = Memory.read();
      printHeader(env, names, run);
      List<ProcessMemory> applierMemory = new ArrayList<>();
      try (FleetClients bareClients =
              new FleetClients(kubeconfig.toFile(), Map.of(), Duration.ofSeconds(10));
          ApplierRun applier =
              new ApplierRun(
                  env,
                  kubeconfig,
                  "bench-applier-" + run,
                  jvmOptions(),
                  List.of("--stackpilot.applier.drift.enabled=" + applierDrift),
                  dir.resolve("applier.log"),
                  Duration.ofSeconds(applierStartSeconds))) {
        BareApplyLoop bare = new BareApplyLoop(bareClients, APPLIER_THREADS);
        out.println(
            "applier  : pid " + applier.process().pid() + ": " + applier.process().commandLine());
        out.println("           its log: " + applier.process().log());
        applierMemory.add(applier.process().memory());
        out.printf(
            "%nwarm-up (one pass of each on the first %d clusters, not reported)%n",
            Math.min(warmupClusters, names.size()));
        List<String> warm = names.subList(0, Math.min(warmupClusters, names.size()));
        row(bare.run(ApplyWorkload.steps("w" + run + "-b", warm, components)), Double.NaN);
        row(
            applier.run(ApplyWorkload.steps("w" + run + "-a", warm, components), timeout),
            Double.NaN);
        applierMemory.add(applier.process().memory());
        List<List<ApplyResult>> repetitions = new ArrayList<>();
        for (int pass = 1; pass <= repeat; pass++) {
          ApplyResult b = bare.run(ApplyWorkload.steps("p" + pass + run + "-b", names, components));
          ApplyResult a =
              applier.run(ApplyWorkload.steps("p" + pass + run + "-a", names, components), timeout);
          repetitions.add(List.of(b, a));
          out.printf(
              "%nrepetition %d/%d (system load average, 1 min: %.2f)%n",
              pass, repeat, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
          out.println(HEADER);
          row(b, 1.0);
          row(a, a.stepsPerSecond() / b.stepsPerSecond());
        }
        applierMemory.add(applier.process().memory());
        double[] heap = applier.process().heapAfterFullGc();
        ProcessMemory afterGc = applier.process().memory();
        printMedians(repetitions);
        printMemory(applierMemory, benchUp, Memory.read());
        if (heap == null) {
          out.println("(no jcmd in this JDK: the applier's heap after a full GC is not shown)");
        } else {
          out.printf(
              "after a full GC (jcmd GC.run), the applier's heap holds %.0f MB used of %.0f MB"
                  + " committed; RSS now %.0f MB%n",
              heap[0], heap[1], afterGc.rssMb());
        }
      }
      printNotes();
    }
    return 0;
  }

  private List<String> jvmOptions() {
    return applierJvmOptions.isBlank()
        ? List.of()
        : List.of(applierJvmOptions.trim().split("\\s+"));
  }

  static FleetSimulator startFleet(List<String> names) {
    FleetSimulator fleet = FleetSimulator.start(names);
    // kinds the renderer can make beyond the simulator's well-known list (as ApplierIT adds them)
    for (CustomResourceDefinitionContext kind :
        List.of(
            WellKnownCustomResources.namespaced(
                "monitoring.coreos.com", "v1", "Probe", "probes", false),
            WellKnownCustomResources.namespaced(
                "sloth.slok.dev",
                "v1",
                "PrometheusServiceLevel",
                "prometheusservicelevels",
                true))) {
      fleet.expectCustomResource(kind);
    }
    return fleet;
  }

  private void printHeader(BenchEnvironment env, List<String> names, String run) {
    out.println("broker   : " + env.brokerKind() + " at " + env.bootstrapServers());
    out.println("registry : " + env.registryKind() + " at " + env.registryUrl());
    out.printf(
        "fleet    : %,d simulated clusters (%s..%s), FleetSimulator in this process, zero rollout"
            + " delay, no faults%n",
        names.size(), names.get(0), names.get(names.size() - 1));
    out.printf(
        "plan     : %,d steps per pass (%d clusters x %d components: %s), Flux driver, a chart"
            + " and 5 values each; a fresh namespace per pass, so every pass writes%n",
        names.size() * components,
        names.size(),
        components,
        String.join(", ", ApplyWorkload.COMPONENTS.subList(0, components)));
    out.printf(
        "(a)      : ApplierApplication in a JVM of its own (consumer group bench-applier-%s, %d"
            + " consumer threads, Kafka transactions); timed from the first send of the pass's"
            + " StepRequested to the last StepApplied read back (read_committed)%n",
        run, APPLIER_THREADS);
    out.printf(
        "           drift detector %s (--applier-drift); JVM options: %s%n",
        applierDrift ? "on (stackpilot.applier.drift.*)" : "off",
        applierJvmOptions.isBlank() ? "none (the JVM sizes its heap)" : applierJvmOptions);
    out.printf(
        "(b)      : %d threads in this process take the same kind of steps from one list, render"
            + " them with the applier's StepRenderer and server-side-apply each object with fabric8"
            + " (field manager %s, force; clients from FleetClients, as the applier's); no Kafka,"
            + " no GET first, no retry loop%n",
        APPLIER_THREADS, io.stackpilot.applier.render.Ownership.FIELD_MANAGER);
    out.println(
        "latency  : p50/p99-ms = handling of one step (a: StepApplied.durationMillis; b: render +"
            + " applies); e2e = StepApplied.occurredAt - StepRequested.occurredAt (stamped at"
            + " send), queueing behind the pass's other steps included");
    out.println(
        "order    : one warm-up pass of each (on the first --warmup-clusters clusters), then per repetition (b) then (a); System.gc() and"
            + " 200 ms pause before each pass");
  }

  private void row(ApplyResult r, double ratio) {
    out.printf(
        "%-28s %,9.0f %,10.0f %8s %9.1f %9.1f %10s %10s%n",
        r.label(),
        r.stepsPerSecond(),
        r.objectsPerSecond(),
        Double.isNaN(ratio) ? "-" : String.format("%.3fx", ratio),
        r.handlingP50(),
        r.handlingP99(),
        fmt(r.endToEndP50()),
        fmt(r.endToEndP99()));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
  }

  private void printMedians(List<List<ApplyResult>> reps) {
    out.printf(
        "%nmedian of %d repetitions (ratio: median of each repetition's (a) steps/s / (b)"
            + " steps/s)%n",
        reps.size());
    out.println(HEADER);
    for (int i = 0; i < 2; i++) {
      int row = i;
      ToDoubleFunction<ToDoubleFunction<ApplyResult>> med =
          f -> median(reps.stream().mapToDouble(rep -> f.applyAsDouble(rep.get(row))).toArray());
      double ratio =
          median(
              reps.stream()
                  .mapToDouble(rep -> rep.get(row).stepsPerSecond() / rep.get(0).stepsPerSecond())
                  .toArray());
      out.printf(
          "%-28s %,9.0f %,10.0f %7.3fx %9.1f %9.1f %10s %10s%n",
          reps.get(0).get(row).label(),
          med.applyAsDouble(ApplyResult::stepsPerSecond),
          med.applyAsDouble(ApplyResult::objectsPerSecond),
          ratio,
          med.applyAsDouble(ApplyResult::handlingP50),
          med.applyAsDouble(ApplyResult::handlingP99),
          fmt(med.applyAsDouble(ApplyResult::endToEndP50)),
          fmt(med.applyAsDouble(ApplyResult::endToEndP99)));
    }
  }

  private void printMemory(List<ProcessMemory> applier, Memory benchUp, Memory benchEnd) {
    out.printf("%nmemory of the applier's process (its own JVM; /proc/<pid>/status and fd)%n");
    out.printf("%-44s %10s %10s %8s %8s%n", "when", "RSS-MB", "peak-MB", "threads", "fds");
    List<String> when =
        List.of("consumers hold every steps partition", "after the warm-up", "after all passes");
    for (int i = 0; i < applier.size(); i++) {
      ProcessMemory m = applier.get(i);
      out.printf(
          "%-44s %10.0f %10.0f %8d %8d%n", when.get(i), m.rssMb(), m.hwmMb(), m.threads(), m.fds());
    }
    out.printf(
        "peak RSS (VmHWM) of the applier's process: %.0f MB%n",
        applier.get(applier.size() - 1).hwmMb());
    out.printf(
        "%nmemory of this process (broker, registry, simulated fleet, bench clients, (b))%n");
    out.printf("%-44s %10s %10s %12s%n", "when", "RSS-MB", "peak-MB", "heap-used-MB");
    memoryRow("broker + registry + simulator up", benchUp);
    memoryRow("after all passes", benchEnd);
  }

  private void memoryRow(String label, Memory m) {
    out.printf("%-44s %10.0f %10.0f %12.0f%n", label, m.rssMb(), m.hwmMb(), m.heapMb());
  }

  private void printNotes() {
    out.println();
    out.println("notes");
    out.println(
        "- (a) reads each object before writing it (StepApplier: an object that already holds"
            + " what the step writes is not written again), so it sends about twice the API"
            + " requests of (b) per object; the shared Namespace is read, found applied and not"
            + " written for all but a cluster's first step.");
    out.println(
        "- (a) also pays Kafka: consuming, a transaction per poll, publishing StepApplied through"
            + " the binder; the bench's own producer and result consumer run in this process, with"
            + " the broker and the simulator, on the same cores.");
    out.println(
        "- the applier runs in its own JVM with this program's classpath and the JVM options"
            + " printed above; its peak RSS is its own (without -Xmx the JVM may grow its heap,"
            + " and so its RSS, far beyond what is live: see the heap after a full GC). Broker, registry and the simulated API servers (which keep"
            + " every object written) are in this process, on the same 2 cores.");
    out.println(
        "- e2e latency of (a) is dominated by queueing: the whole plan is published at once, so"
            + " the last step waits for the ones before it in its partition.");
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** RSS and peak RSS from /proc/self/status, heap used after a GC. */
  record Memory(double rssMb, double hwmMb, double heapMb) {
    static Memory read() throws IOException {
      System.gc();
      double rss = Double.NaN;
      double hwm = Double.NaN;
      Path status = Path.of("/proc/self/status");
      if (Files.isReadable(status)) {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            rss = kb(line) / 1024.0;
          } else if (line.startsWith("VmHWM:")) {
            hwm = kb(line) / 1024.0;
          }
        }
      }
      double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
      return new Memory(rss, hwm, heap);
    }

    private static long kb(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
  }
}
