package io.stackpilot.bench;

import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.testing.Events;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The verifier benchmark: the verifier service verifying one rollout's applied steps on a simulated
 * fleet whose components are ready, next to a bare informer loop that watches the same clusters and
 * calls the same components ready with the minimum check, in one run.
 */
@Command(
    name = "verify-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Verifies clusters x components applied steps with the verifier service and with a bare"
            + " fabric8 informer loop against the fleet simulator; prints verdicts/s, the latency"
            + " from StepApplied to ComponentVerified, CPU per verdict, peak RSS and the ratios.")
public final class VerifyBenchmark implements Callable<Integer> {
  /** Every component of every cluster is installed here, as a stack's components share one. */
  static final String NAMESPACE = "bench-verify";

  private static final String HEADER =
      String.format(
          "%-26s %9s %10s %8s %9s %9s %9s %8s %11s",
          "measurement",
          "verdicts",
          "verdicts/s",
          "ratio",
          "p50-ms",
          "p99-ms",
          "max-ms",
          "cpu-s",
          "cpu-ms/verd");

  @Option(names = "--clusters", defaultValue = "1000", description = "simulated clusters")
  int clusters;

  @Option(names = "--components", defaultValue = "8", description = "components per cluster (1..8)")
  int components;

  @Option(
      names = "--rollouts",
      defaultValue = "2",
      description =
          "rollouts verified one after the other: the first starts the watches, the next find"
              + " them running")
  int rollouts;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "1800",
      description = "longest wait for one pass's verdicts")
  int timeoutSeconds;

  @Option(
      names = "--jvm-options",
      defaultValue = "-Xmx512m",
      description = "JVM options of the verifier's and the baseline's processes, space-separated")
  String jvmOptions;

  @Option(
      names = "--verifier-args",
      defaultValue = "",
      description =
          "extra arguments of the verifier, space-separated (e.g. --logging.level.root=INFO)")
  String verifierArgs;

  @Option(
      names = "--start-seconds",
      defaultValue = "180",
      description = "longest wait for the verifier's and the baseline's processes to start")
  int startSeconds;

  @Option(
      names = "--apply-threads",
      defaultValue = "6",
      description = "threads that write the rollout's objects before the passes")
  int applyThreads;

  @Mixin BenchOptions where;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    BenchOptions.main(new VerifyBenchmark(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (clusters < 1 || components < 1 || components > 8 || rollouts < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--clusters, --rollouts must be > 0; --components 1..8");
    }
    out.println("Stackpilot verifier benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    out.println(PublishLadder.machine());
    String run = Long.toString(System.currentTimeMillis(), 36);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Duration startTimeout = Duration.ofSeconds(startSeconds);
    List<String> names = ApplyWorkload.clusters(clusters);
    try (BenchEnvironment env = BenchEnvironment.start(where.bootstrap, where.registry);
        FleetSimulator fleet = ApplyBenchmark.startFleet(names)) {
      Path dir = Files.createTempDirectory("verify-benchmark-");
      Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
      printHeader(env, names);
      List<StepRequested> seed = ApplyWorkload.steps("seed" + run, names, components);
      seed.forEach(step -> step.setNamespace(NAMESPACE));
      long s0 = System.nanoTime();
      Map<String, List<ResourceRef>> refs;
      try (FleetClients writer =
          new FleetClients(kubeconfig.toFile(), Map.of(), Duration.ofSeconds(30))) {
        refs = RolloutObjects.apply(writer, seed, applyThreads);
        double applied = (System.nanoTime() - s0) / 1e9;
        RolloutObjects.awaitReady(writer, names, NAMESPACE, components, timeout);
        out.printf(
            "objects  : %,d steps rendered by the applier's StepRenderer and server-side applied"
                + " (%,d objects) in %.0f s; every HelmRelease Ready after %.0f s in all%n",
            seed.size(),
            refs.values().stream().mapToInt(List::size).sum(),
            applied,
            (System.nanoTime() - s0) / 1e9);
      }
      List<InformerBaseline.Item> items = new ArrayList<>();
      seed.forEach(
          s ->
              items.add(
                  new InformerBaseline.Item(
                      s.getEnvelope().getCluster(), NAMESPACE, s.getComponent())));
      // (b) then (a), not side by side: the simulator serves each watch with threads of its own
      // (see notes), and both measurements' watches at once would double them
      Measured b;
      try (BaselineRun baseline =
          new BaselineRun(
              kubeconfig, items, dir.resolve("baseline"), options(jvmOptions), startTimeout)) {
        out.println(
            "baseline : pid " + baseline.process().pid() + ": " + baseline.process().commandLine());
        out.println("           its log: " + baseline.process().log());
        b = measure(baseline.process(), r -> baseline.run("rollout-" + r, timeout));
      }
      Measured a;
      try (VerifierRun verifier =
          new VerifierRun(
              env,
              kubeconfig,
              options(jvmOptions),
              options(verifierArgs),
              dir.resolve("verifier.log"),
              startTimeout)) {
        out.println(
            "verifier : pid " + verifier.process().pid() + ": " + verifier.process().commandLine());
        out.println("           its log: " + verifier.process().log());
        a =
            measure(
                verifier.process(),
                r -> verifier.run(applied("rollout-" + r + "-" + run, seed, refs), timeout));
      }
      for (int r = 0; r < rollouts; r++) {
        out.printf(
            "%nrollout %d/%d, %s (system load average, 1 min, at start and end: (b) %.1f-%.1f,"
                + " (a) %.1f-%.1f)%n",
            r + 1,
            rollouts,
            r == 0 ? "the watches start with it" : "the watches are running",
            b.loadStart().get(r),
            b.loadEnd().get(r),
            a.loadStart().get(r),
            a.loadEnd().get(r));
        printPass(b.passes().get(r), a.passes().get(r));
      }
      printMemory(b, a);
      ProcessMemory self = ProcessMemory.self();
      out.printf(
          "this process (broker, registry, %,d simulated API servers): RSS %.0f MB, peak %.0f MB,"
              + " %d threads, %d fds%n",
          names.size(), self.rssMb(), self.hwmMb(), self.threads(), self.fds());
      printNotes();
    }
    return 0;
  }

  /** One rollout's StepApplied: one per seeded step, new step ids, one correlation id. */
  static List<StepApplied> applied(
      String rollout, List<StepRequested> seed, Map<String, List<ResourceRef>> refs) {
    List<StepApplied> steps = new ArrayList<>(seed.size());
    for (StepRequested s : seed) {
      String cluster = s.getEnvelope().getCluster();
      var envelope = Events.envelope(UUID.randomUUID().toString(), rollout, cluster);
      envelope.setActor("bench");
      envelope.setProducer("verify-benchmark");
      envelope.setCausationId(s.getEnvelope().getEventId());
      steps.add(
          StepApplied.newBuilder()
              .setEnvelope(envelope)
              .setStepId(rollout + "/" + cluster + "/" + s.getComponent())
              .setComponent(s.getComponent())
              .setDigest(s.getDigest())
              .setResources(refs.get(s.getStepId()))
              .setDurationMillis(0)
              .setAction(StepAction.APPLY)
              .build());
    }
    return steps;
  }

  private static List<String> options(String text) {
    return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }

  private void printHeader(BenchEnvironment env, List<String> names) {
    out.println("broker   : " + env.brokerKind() + " at " + env.bootstrapServers());
    out.println("registry : " + env.registryKind() + " at " + env.registryUrl());
    out.printf(
        "fleet    : %,d simulated clusters (%s..%s), FleetSimulator in this process, zero rollout"
            + " delay, no faults%n",
        names.size(), names.get(0), names.get(names.size() - 1));
    out.printf(
        "rollout  : %,d steps (%d clusters x %d components: %s), Flux driver, all in namespace %s;"
            + " the objects are written and Ready before a pass starts%n",
        names.size() * components,
        names.size(),
        components,
        String.join(", ", ApplyWorkload.COMPONENTS.subList(0, components)),
        NAMESPACE);
    out.printf(
        "(a)      : VerifierApplication in a JVM of its own (%s); a pass sends one rollout's"
            + " StepApplied at once (one correlation id) and reads ComponentVerified back;"
            + " latency = the verdict record's timestamp - the StepApplied's occurredAt (stamped"
            + " at send)%n",
        jvmOptions.isBlank() ? "no JVM options" : jvmOptions);
    out.printf(
        "(b)      : InformerBaseline in a JVM of its own (%s): fabric8 informers on the same"
            + " kinds per cluster and namespace (HelmRelease, Deployment, StatefulSet, DaemonSet,"
            + " Pod, PVC), one checker thread, the minimum readiness check, no Kafka; latency ="
            + " seen ready - told (all at once)%n",
        jvmOptions.isBlank() ? "no JVM options" : jvmOptions);
    out.println(
        "cpu      : user + system CPU of the whole process over the pass (/proc/<pid>/stat),"
            + " GC and JIT included");
  }

  private void printPass(VerifyResult b, VerifyResult a) {
    out.println(HEADER);
    row(b, 1.0);
    row(a, a.perSecond() / b.perSecond());
    out.printf(
        "(a) / (b): verdicts/s %.3fx, p50 %.1fx, p99 %.1fx, CPU per verdict %.1fx; (a)'s"
            + " verdicts: %s%n",
        a.perSecond() / b.perSecond(),
        a.p50() / b.p50(),
        a.p99() / b.p99(),
        a.cpuMsPerItem() / b.cpuMsPerItem(),
        a.outcomes());
  }

  private void row(VerifyResult r, double ratio) {
    out.printf(
        "%-26s %,9d %,10.1f %7.3fx %,9.0f %,9.0f %,9.0f %8.1f %11.2f%n",
        r.label(),
        r.items(),
        r.perSecond(),
        ratio,
        r.p50(),
        r.p99(),
        r.max(),
        r.cpuSeconds(),
        r.cpuMsPerItem());
  }

  /** One rollout of a measurement. */
  @FunctionalInterface
  interface Pass {
    VerifyResult run(int rollout) throws Exception;
  }

  /**
   * A measurement's passes, the load average around each, its process's memory when started and
   * after each pass, and its heap after a full GC at the end ({used, committed} MB, or null).
   */
  record Measured(
      List<VerifyResult> passes,
      List<Double> loadStart,
      List<Double> loadEnd,
      List<ProcessMemory> memory,
      double[] heapAfterGc,
      ProcessMemory afterGc) {}

  private Measured measure(ServiceProcess process, Pass pass) throws Exception {
    List<VerifyResult> passes = new ArrayList<>();
    List<Double> loadStart = new ArrayList<>();
    List<Double> loadEnd = new ArrayList<>();
    List<ProcessMemory> memory = new ArrayList<>(List.of(process.memory()));
    for (int r = 1; r <= rollouts; r++) {
      loadStart.add(load());
      VerifyResult result = pass.run(r);
      loadEnd.add(load());
      passes.add(result);
      memory.add(process.memory());
      out.printf(
          "           rollout %d: %,d in %.1f s, p99 %,.0f ms, %.1f CPU-s; %s%n",
          r,
          result.items(),
          result.nanos() / 1e9,
          result.p99(),
          result.cpuSeconds(),
          result.outcomes());
    }
    double[] heap = process.heapAfterFullGc();
    return new Measured(passes, loadStart, loadEnd, memory, heap, process.memory());
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void printMemory(Measured b, Measured a) {
    out.printf("%nmemory of the two processes (/proc/<pid>/status and fd), each in its own JVM%n");
    out.printf("%-22s %28s   %28s%n", "", "(b) informer baseline", "(a) verifier service");
    out.printf(
        "%-22s %7s %7s %6s %6s   %7s %7s %6s %6s%n",
        "when", "RSS-MB", "peak-MB", "thr", "fds", "RSS-MB", "peak-MB", "thr", "fds");
    for (int i = 0; i < b.memory().size(); i++) {
      ProcessMemory mb = b.memory().get(i);
      ProcessMemory ma = a.memory().get(i);
      out.printf(
          "%-22s %7.0f %7.0f %6d %6d   %7.0f %7.0f %6d %6d%n",
          i == 0 ? "started, idle" : "after rollout " + i,
          mb.rssMb(),
          mb.hwmMb(),
          mb.threads(),
          mb.fds(),
          ma.rssMb(),
          ma.hwmMb(),
          ma.threads(),
          ma.fds());
    }
    out.printf(
        "peak RSS (VmHWM): (a) verifier %.0f MB, (b) baseline %.0f MB (JVM options: %s)%n",
        a.memory().get(a.memory().size() - 1).hwmMb(),
        b.memory().get(b.memory().size() - 1).hwmMb(),
        jvmOptions.isBlank() ? "none" : jvmOptions);
    heapLine("(a) verifier", a);
    heapLine("(b) baseline", b);
  }

  private void heapLine(String who, Measured m) {
    if (m.heapAfterGc() == null) {
      out.println(who + ": no jcmd in this JDK, heap after a full GC not shown");
      return;
    }
    out.printf(
        "after all rollouts and a full GC (jcmd GC.run), %s's heap holds %.0f MB used of %.0f MB"
            + " committed; RSS then %.0f MB%n",
        who, m.heapAfterGc()[0], m.heapAfterGc()[1], m.afterGc().rssMb());
  }

  private void printNotes() {
    out.println();
    out.println("notes");
    out.println(
        "- (a) also reads every listed object once (a GET each) when it settles a step, checks"
            + " every kind's status rules, and publishes each verdict synchronously; (b) reads"
            + " its watches only.");
    out.println(
        "- the broker, the registry and the simulated API servers run in this process, on the"
            + " same cores as (a) and (b); (b) runs all its rollouts and stops, then (a) starts"
            + " and runs its own: the fabric8 mock server under the simulator runs two threads"
            + " per open watch (WebSocketSession, WatchEventsListener), so both measurements'"
            + " watches at once would double its threads.");
    out.println(
        "- both processes keep their watches between rollouts: rollout 1 includes starting and"
            + " syncing them (a list and a watch per cluster, kind and namespace), the next ones"
            + " do not.");
  }
}
