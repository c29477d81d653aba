package io.stackpilot.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Starts the platform's processes with their output in log files and their pids in files, waits
 * until each is ready, and stops them all (descendants included) in reverse order, so a stop leaves
 * no process behind.
 */
final class Supervisor {
  static final String LAUNCHER = "launcher";

  private final Path logs;
  private final Path pids;
  private final List<Started> started = new ArrayList<>();

  /** A process this supervisor started. */
  record Started(String name, Process process, Path log) {}

  Supervisor(Path stateDir) {
    this.logs = stateDir.resolve("logs");
    this.pids = stateDir.resolve("pids");
    try {
      Files.createDirectories(logs);
      Files.createDirectories(pids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Started start(String name, List<String> command) {
    return start(name, command, java.util.Map.of());
  }

  /** Starts a process; secrets go in {@code env}, never on the command line where ps shows them. */
  Started start(String name, List<String> command, java.util.Map<String, String> env) {
    Path log = logs.resolve(name + ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      Files.writeString(pids.resolve(name + ".pid"), Long.toString(process.pid()));
      Started s = new Started(name, process, log);
      synchronized (started) {
        started.add(s);
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  /** Waits for a readiness condition; fails with the log's path if the process dies first. */
  void awaitReady(Started s, Duration timeout, BooleanSupplier ready) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!s.process().isAlive()) {
        throw new IllegalStateException(
            s.name() + " exited with " + s.process().exitValue() + "; see " + s.log());
      }
      if (ready.getAsBoolean()) {
        return;
      }
      pause(Duration.ofMillis(200));
    }
    throw new IllegalStateException(s.name() + " not ready after " + timeout + "; see " + s.log());
  }

  static boolean portOpen(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean httpOk(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      int code = c.getResponseCode();
      c.disconnect();
      return code >= 200 && code < 300;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops every started process, newest first: services before the broker they need. */
  void stopAll() {
    List<Started> reversed;
    synchronized (started) {
      reversed = new ArrayList<>(started);
      started.clear();
    }
    java.util.Collections.reverse(reversed);
    for (Started s : reversed) {
      stop(s.process().toHandle(), s.name());
      try {
        Files.deleteIfExists(pids.resolve(s.name() + ".pid"));
      } catch (IOException e) {
        // the pid file is only a hint for `down`
      }
    }
  }

  /** Records this launcher's pid, so {@code down} from another shell can stop it first. */
  void recordLauncher() {
    try {
      Files.writeString(
          pids.resolve(LAUNCHER + ".pid"), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void forgetLauncher() {
    try {
      Files.deleteIfExists(pids.resolve(LAUNCHER + ".pid"));
    } catch (IOException e) {
      // only a hint for `down`
    }
  }

  /**
   * Stops a running local platform (the {@code down} command): the launcher first, whose shutdown
   * hook stops its processes in order, then anything recorded that is still alive.
   */
  int stopRecorded() throws IOException {
    int stopped = 0;
    if (!Files.isDirectory(pids)) {
      return 0;
    }
    Path launcher = pids.resolve(LAUNCHER + ".pid");
    if (Files.exists(launcher)) {
      var handle = ProcessHandle.of(Long.parseLong(Files.readString(launcher).trim()));
      if (handle.isPresent() && handle.get().isAlive()) {
        handle.get().destroy();
        try {
          handle.get().onExit().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
          handle.get().destroyForcibly();
        }
        stopped++;
        System.out.println("  stopped " + LAUNCHER);
      }
      Files.deleteIfExists(launcher);
    }
    List<Path> files;
    try (var list = Files.list(pids)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      long pid = Long.parseLong(Files.readString(file).trim());
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent() && handle.get().isAlive()) {
        stop(handle.get(), file.getFileName().toString());
        stopped++;
      }
      Files.deleteIfExists(file);
    }
    return stopped;
  }

  private static void stop(ProcessHandle handle, String name) {
    if (!handle.isAlive()) {
      return; // finished on its own (the storage format step)
    }
    List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    System.out.println("  stopped " + name);
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
