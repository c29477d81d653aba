package io.stackpilot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a whole process (every thread: its own work, GC, JIT, I/O threads), from {@code
 * /proc/<pid>/stat} ({@code utime + stime}, in clock ticks), so a child JVM and this one are
 * measured the same way.
 */
final class ProcessCpu {
  private static final double TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** User plus system CPU seconds of the process since it started; NaN without /proc. */
  static double seconds(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.isReadable(stat)) {
      return Double.NaN;
    }
    String line = Files.readString(stat);
    // the command name (field 2) is in parentheses and may hold spaces: count from after it
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
    long utime = Long.parseLong(fields[11]); // field 14
    long stime = Long.parseLong(fields[12]); // field 15
    return (utime + stime) / TICKS_PER_SECOND;
  }

  /** USER_HZ, as {@code getconf CLK_TCK} says; 100 (Linux's value) when it cannot be asked. */
  private static double ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() == 0 && out.matches("\\d+")) {
        return Double.parseDouble(out);
      }
    } catch (IOException e) {
      // no getconf: Linux's USER_HZ below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
