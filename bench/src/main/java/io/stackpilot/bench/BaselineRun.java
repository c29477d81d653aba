package io.stackpilot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The baseline (b) of VerifyBenchmark from this side: {@link InformerBaseline} in a JVM of its own
 * (same JVM options as the verifier's), told to start each pass through its standard input; its CPU
 * time is read from /proc around the pass, as the verifier's is.
 */
final class BaselineRun implements AutoCloseable {
  private final ServiceProcess process;
  private final Path dir;
  private final int items;

  BaselineRun(
      Path kubeconfig,
      List<InformerBaseline.Item> items,
      Path dir,
      List<String> jvmOptions,
      Duration startTimeout)
      throws Exception {
    this.dir = Files.createDirectories(dir);
    this.items = items.size();
    StringBuilder lines = new StringBuilder();
    for (InformerBaseline.Item item : items) {
      lines.append(item.cluster()).append(' ').append(item.namespace());
      lines.append(' ').append(item.release()).append('\n');
    }
    Path itemsFile = dir.resolve("items.txt");
    Files.writeString(itemsFile, lines);
    process =
        ServiceProcess.start(
            "informer baseline",
            InformerBaseline.class,
            jvmOptions,
            List.of(kubeconfig.toString(), itemsFile.toString(), dir.toString()),
            dir.resolve("baseline.log"));
    try {
      awaitFile(dir.resolve("ready"), startTimeout);
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  ServiceProcess process() {
    return process;
  }

  /** One pass: every item told at once; waits for the child's figures. */
  VerifyResult run(String label, Duration timeout) throws Exception {
    Measurement.settle();
    double cpu0 = process.cpuSeconds();
    process.stdin().write(("go " + label + "\n").getBytes(StandardCharsets.UTF_8));
    process.stdin().flush();
    List<String> lines = Files.readAllLines(awaitFile(dir.resolve(label + ".txt"), timeout));
    double cpu = process.cpuSeconds() - cpu0;
    String[] first = lines.get(0).split(" ");
    long nanos = Long.parseLong(first[0]);
    int restarts = Integer.parseInt(first[1]);
    double[] latencies = new double[items];
    for (int i = 0; i < items; i++) {
      latencies[i] = Double.parseDouble(lines.get(i + 1));
    }
    return new VerifyResult(
        InformerBaseline.LABEL,
        items,
        nanos,
        latencies,
        cpu,
        Map.of("ready", items, "informers restarted so far", restarts));
  }

  private Path awaitFile(Path file, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      process.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "informer baseline: no " + file.getFileName() + " after " + timeout);
      }
      Thread.sleep(50);
    }
    return file;
  }

  @Override
  public void close() {
    try {
      process.stdin().close(); // end of input: the loop stops its informers and exits
    } catch (IOException e) {
      // it has gone already
    }
    process.close();
  }
}
