package io.stackpilot.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service (the applier, the verifier) or a baseline loop in a JVM of its own, started from this
 * program's classpath, so that its memory, CPU time, threads and file descriptors can be read apart
 * from the broker, registry and simulated fleet that share the bench's process. Its output goes to
 * a log file; its standard input stays a pipe from this process.
 */
final class ServiceProcess implements AutoCloseable {
  private static final String LAUNCHER =
      "org.springframework.boot.loader.launch.PropertiesLauncher";

  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> command;

  private ServiceProcess(String name, Process process, Path log, List<String> command) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.command = command;
  }

  /**
   * Starts {@code main} with the given JVM options and program arguments. From a Spring Boot
   * executable jar (the documented command line) through its {@code PropertiesLauncher} with {@code
   * loader.main}; from a plain classpath (an IDE) with that classpath.
   */
  static ServiceProcess start(
      String name, Class<?> main, List<String> jvmOptions, List<String> args, Path log)
      throws IOException {
    String classpath = System.getProperty("java.class.path");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-D" + BenchOptions.AVRO_PACKAGES_PROPERTY + "=io.stackpilot.events");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    if (!classpath.contains(File.pathSeparator) && classpath.endsWith(".jar")) {
      command.add("-Dloader.main=" + main.getName());
      command.add(LAUNCHER);
    } else {
      command.add(main.getName());
    }
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServiceProcess(name, process, log, command);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** The command line, with the (long) classpath shortened. */
  String commandLine() {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0 && cp + 1 < shown.size() && shown.get(cp + 1).length() > 120) {
      shown.set(cp + 1, "<this program's classpath>");
    }
    return String.join(" ", shown);
  }

  /** Its standard input. */
  OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Fails with the end of its log when the process has exited. */
  void checkAlive() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the "
              + name
              + " process exited with "
              + process.exitValue()
              + "; the end of its log ("
              + log
              + "):\n"
              + tail(40));
    }
  }

  /** Its RSS, peak RSS, threads and open file descriptors now, from /proc. */
  ProcessMemory memory() throws IOException {
    return ProcessMemory.of(process.pid());
  }

  /** The CPU time (user + system, all threads) it has used since it started, in seconds. */
  double cpuSeconds() throws IOException {
    return ProcessCpu.seconds(process.pid());
  }

  /**
   * Has the process run a full GC ({@code jcmd <pid> GC.run}) and returns its heap afterwards, in
   * MB: {used, committed}; null when this JDK has no jcmd or it failed. RSS follows the heap the
   * JVM has committed, which the default sizing lets grow far beyond what is live; this is what is
   * live.
   */
  double[] heapAfterFullGc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return null;
    }
    if (jcmd(jcmd, "GC.run") == null) {
      return null;
    }
    String info = jcmd(jcmd, "GC.heap_info");
    if (info == null) {
      return null;
    }
    double used = 0;
    double total = 0;
    Matcher m = HEAP_LINE.matcher(info);
    while (m.find()) {
      total += Long.parseLong(m.group(1)) / 1024.0;
      used += Long.parseLong(m.group(2)) / 1024.0;
    }
    return total == 0 ? null : new double[] {used, total};
  }

  // "garbage-first heap   total 5242880K, used 123456K [...", or one line per generation
  private static final Pattern HEAP_LINE =
      Pattern.compile(
          "(?m)^\\s*(?:garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total (\\d+)K, used (\\d+)K");

  private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return output;
  }

  String tail(int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Asks the process to stop (SIGTERM: Spring's graceful shutdown), then kills it after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
