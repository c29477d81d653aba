package io.stackpilot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * RSS, peak RSS ({@code VmHWM}: the most resident memory the process has had since it started),
 * threads and open file descriptors of one process, from {@code /proc/<pid>}; NaN or -1 where the
 * system has no such file.
 */
record ProcessMemory(double rssMb, double hwmMb, int threads, int fds) {

  static ProcessMemory self() throws IOException {
    return of(ProcessHandle.current().pid());
  }

  static ProcessMemory of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    double rss = Double.NaN;
    double hwm = Double.NaN;
    int threads = -1;
    Path status = proc.resolve("status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = number(line) / 1024.0;
        } else if (line.startsWith("VmHWM:")) {
          hwm = number(line) / 1024.0;
        } else if (line.startsWith("Threads:")) {
          threads = (int) number(line);
        }
      }
    }
    int fds = -1;
    Path fd = proc.resolve("fd");
    if (Files.isDirectory(fd)) {
      try (Stream<Path> open = Files.list(fd)) {
        fds = (int) open.count();
      }
    }
    return new ProcessMemory(rss, hwm, threads, fds);
  }

  private static long number(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
