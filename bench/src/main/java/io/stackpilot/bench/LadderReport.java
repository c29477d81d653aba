package io.stackpilot.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Prints each repetition and the medians as tables, every rung set against raw bytes. */
final class LadderReport {
  private static final String MAIN_HEADER =
      String.format("%-22s %12s %8s %12s %7s", "rung", "records/s", "ratio", "cpu-us/rec", "ratio");
  private static final String DETAIL_HEADER =
      String.format(
          "%-22s %10s %10s %10s %8s %10s",
          "rung", "sender-us", "network-us", "proc-us", "gc-ms", "rec-size");

  private final PrintStream out;
  private final List<String> rungs;
  private final List<List<RunResult>> repetitions = new ArrayList<>();

  LadderReport(PrintStream out, List<String> rungs) {
    this.out = out;
    this.rungs = rungs;
  }

  /** Records and prints one repetition: one result per rung, raw bytes first. */
  void repetition(int number, int of, List<RunResult> results) {
    repetitions.add(results);
    out.printf(
        "%nrepetition %d/%d (system load average, 1 min: %.2f)%n",
        number, of, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    printMain(results);
    out.println(DETAIL_HEADER);
    for (RunResult r : results) {
      out.printf(
          "%-22s %10.2f %10.2f %10.2f %8d %10.0f%n",
          r.rung(),
          r.senderMicrosPerRecord(),
          r.networkMicrosPerRecord(),
          r.processMicrosPerRecord(),
          r.gcMillis(),
          r.recordBytes());
    }
  }

  /** The final table: per rung, the median over repetitions of each figure separately. */
  void medians() {
    out.printf(
        "%nmedian of %d repetitions (ratios: median of each repetition's rung / raw bytes)%n",
        repetitions.size());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < rungs.size(); i++) {
      List<RunResult> runs = runsOf(i);
      rows.add(
          new Row(
              rungs.get(i),
              median(runs, RunResult::recordsPerSecond),
              medianRatio(i, RunResult::recordsPerSecond),
              median(runs, RunResult::cpuMicrosPerRecord),
              medianRatio(i, RunResult::cpuMicrosPerRecord)));
    }
    printRows(rows);
    out.println();
    out.println(DETAIL_HEADER.replace("rung  ", "median"));
    for (int i = 0; i < rungs.size(); i++) {
      List<RunResult> runs = runsOf(i);
      out.printf(
          "%-22s %10.2f %10.2f %10.2f %8.0f %10.0f%n",
          rungs.get(i),
          median(runs, RunResult::senderMicrosPerRecord),
          median(runs, RunResult::networkMicrosPerRecord),
          median(runs, RunResult::processMicrosPerRecord),
          median(runs, r -> r.gcMillis()),
          median(runs, RunResult::recordBytes));
    }
  }

  private List<RunResult> runsOf(int rung) {
    return repetitions.stream().map(rep -> rep.get(rung)).toList();
  }

  /** One line of the main table. */
  private record Row(String rung, double rate, double rateRatio, double cpu, double cpuRatio) {}

  /** Rows with each rung's ratio to raw bytes of the same repetition. */
  private void printMain(List<RunResult> results) {
    RunResult raw = results.get(0);
    printRows(
        results.stream()
            .map(
                r ->
                    new Row(
                        r.rung(),
                        r.recordsPerSecond(),
                        r.recordsPerSecond() / raw.recordsPerSecond(),
                        r.cpuMicrosPerRecord(),
                        r.cpuMicrosPerRecord() / raw.cpuMicrosPerRecord()))
            .toList());
  }

  private void printRows(List<Row> rows) {
    out.println(MAIN_HEADER);
    for (Row row : rows) {
      out.printf(
          "%-22s %,12.0f %7.2fx %12.2f %6.2fx%n",
          row.rung(), row.rate(), row.rateRatio(), row.cpu(), row.cpuRatio());
    }
  }

  /** Pairs each repetition's rung with the raw bytes run of that repetition, then the median. */
  private double medianRatio(int rung, ToDoubleFunction<RunResult> figure) {
    return median(
        repetitions.stream()
            .mapToDouble(
                rep -> figure.applyAsDouble(rep.get(rung)) / figure.applyAsDouble(rep.get(0)))
            .toArray());
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> figure) {
    return median(runs.stream().mapToDouble(figure).toArray());
  }

  static double median(double[] values) {
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
}
