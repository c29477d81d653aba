package io.stackpilot.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Prints the plan benchmark's repetitions and medians: every measurement set against the raw
 * baseline of the same repetition, which comes first in each repetition's results.
 */
final class PlanReport {
  private static final String MAIN_HEADER =
      String.format(
          "%-26s %8s %11s %8s %12s %8s",
          "measurement", "plans/s", "steps/s", "ratio", "cpu-us/step", "ratio");
  private static final String DETAIL_HEADER =
      String.format(
          "%-26s %10s %10s %10s %8s %10s",
          "measurement", "sender-us", "network-us", "proc-us", "gc-ms", "value-MB/s");

  private final PrintStream out;
  private final int stepsPerPlan;
  private final List<List<RunResult>> repetitions = new ArrayList<>();

  PlanReport(PrintStream out, int stepsPerPlan) {
    this.out = out;
    this.stepsPerPlan = stepsPerPlan;
  }

  /** Records and prints one repetition: the raw baseline first, then the planner's passes. */
  void repetition(int number, int of, List<RunResult> results) {
    repetitions.add(results);
    out.printf(
        "%nrepetition %d/%d (system load average, 1 min: %.2f)%n",
        number, of, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    RunResult raw = results.get(0);
    out.println(MAIN_HEADER);
    for (int i = 0; i < results.size(); i++) {
      RunResult r = results.get(i);
      row(
          r.rung(),
          i == 0 ? Double.NaN : r.recordsPerSecond() / stepsPerPlan,
          r.recordsPerSecond(),
          r.recordsPerSecond() / raw.recordsPerSecond(),
          r.cpuMicrosPerRecord(),
          r.cpuMicrosPerRecord() / raw.cpuMicrosPerRecord());
    }
    out.println(DETAIL_HEADER);
    for (RunResult r : results) {
      detail(
          r.rung(),
          r.senderMicrosPerRecord(),
          r.networkMicrosPerRecord(),
          r.processMicrosPerRecord(),
          r.gcMillis(),
          r.recordBytes() * r.recordsPerSecond() / 1e6);
    }
  }

  /** The final table: each figure's median over the repetitions; ratios: median of the ratios. */
  void medians() {
    out.printf(
        "%nmedian of %d repetitions (ratios: median of each repetition's figure / the raw"
            + " baseline's)%n",
        repetitions.size());
    out.println(MAIN_HEADER);
    int rows = repetitions.get(0).size();
    for (int i = 0; i < rows; i++) {
      List<RunResult> runs = runsOf(i);
      row(
          runs.get(0).rung(),
          i == 0
              ? Double.NaN
              : LadderReport.median(runs, RunResult::recordsPerSecond) / stepsPerPlan,
          LadderReport.median(runs, RunResult::recordsPerSecond),
          medianRatio(i, RunResult::recordsPerSecond),
          LadderReport.median(runs, RunResult::cpuMicrosPerRecord),
          medianRatio(i, RunResult::cpuMicrosPerRecord));
    }
    out.println(DETAIL_HEADER.replace("measurement", "median     "));
    for (int i = 0; i < rows; i++) {
      List<RunResult> runs = runsOf(i);
      detail(
          runs.get(0).rung(),
          LadderReport.median(runs, RunResult::senderMicrosPerRecord),
          LadderReport.median(runs, RunResult::networkMicrosPerRecord),
          LadderReport.median(runs, RunResult::processMicrosPerRecord),
          LadderReport.median(runs, r -> r.gcMillis()),
          LadderReport.median(runs, r -> r.recordBytes() * r.recordsPerSecond() / 1e6));
    }
  }

  /** The median ratio of one measurement to the raw baseline, for the summary line. */
  double medianRatio(int row, ToDoubleFunction<RunResult> figure) {
    return LadderReport.median(
        repetitions.stream()
            .mapToDouble(
                rep -> figure.applyAsDouble(rep.get(row)) / figure.applyAsDouble(rep.get(0)))
            .toArray());
  }

  private List<RunResult> runsOf(int row) {
    return repetitions.stream().map(rep -> rep.get(row)).toList();
  }

  private void row(
      String label, double plans, double steps, double rateRatio, double cpu, double cpuRatio) {
    out.printf(
        "%-26s %8s %,11.0f %7.3fx %12.2f %7.1fx%n",
        label,
        Double.isNaN(plans) ? "-" : String.format("%.2f", plans),
        steps,
        rateRatio,
        cpu,
        cpuRatio);
  }

  private void detail(
      String label, double sender, double network, double process, double gcMillis, double mbps) {
    out.printf(
        "%-26s %10.2f %10.2f %10.2f %8.0f %10s%n",
        label,
        sender,
        network,
        process,
        gcMillis,
        Double.isNaN(mbps) ? "-" : String.format("%.1f", mbps));
  }
}
