package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applier killed with SIGKILL in the middle of a 100-cluster plan, then started again: every
 * step applied, none twice. The applier runs as a process of its own (a JVM that is killed cannot
 * clean up); the clusters are the test's simulator, which counts every write it receives.
 */
@ExtendWith(RealKafkaExtension.class)
class ApplierCrashIT {
  static final int CLUSTERS = 100;

  @Test
  void aKilledApplierRestartsWithoutApplyingAStepTwice(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    List<String> names =
        IntStream.rangeClosed(1, CLUSTERS).mapToObj(i -> String.format("c%03d", i)).toList();
    try (FleetSimulator fleet = FleetSimulator.start(names);
        EventTap applied =
            EventTap.avro(
                broker.bootstrapServers(),
                registry.url(),
                List.of(Topic.STEP_APPLIED.topicName()))) {
      Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
      String rollout = "r-crash";
      Process first = applierProcess(broker, registry, kubeconfig, dir.resolve("first.log"));
      List<StepRequested> steps = new ArrayList<>();
      for (String cluster : names) {
        StepRequested step = Events.stepRequested(rollout, cluster, "loki");
        steps.add(step);
        TestRecords.sendEvent(
            broker.bootstrapServers(), registry.url(), Topic.STEPS.topicName(), cluster, step);
      }

      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> of(applied, rollout).size() >= CLUSTERS / 5);
      first.destroyForcibly().waitFor();
      int beforeKill = of(applied, rollout).size();
      assertThat(beforeKill).as("killed in the middle").isLessThan(CLUSTERS);

      Process second = applierProcess(broker, registry, kubeconfig, dir.resolve("second.log"));
      try {
        await()
            .atMost(Duration.ofSeconds(180))
            .until(
                () ->
                    of(applied, rollout).stream().map(StepApplied::getStepId).distinct().count()
                        == CLUSTERS);
      } finally {
        second.destroy();
        second.waitFor();
      }

      Map<String, Long> perStep =
          of(applied, rollout).stream()
              .collect(Collectors.groupingBy(StepApplied::getStepId, Collectors.counting()));
      assertThat(perStep).hasSize(CLUSTERS).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
      for (String cluster : names) {
        Map<String, Long> writes = fleet.writes(cluster);
        assertThat(writes).as(cluster).isNotEmpty();
        assertThat(writes).as(cluster).allSatisfy((path, n) -> assertThat(n).as(path).isOne());
      }
      long notRewritten =
          java.nio.file.Files.readAllLines(dir.resolve("second.log")).stream()
              .filter(line -> line.contains("already applied by this step"))
              .count();
      System.out.printf(
          "applier killed after %d of %d steps; after the restart %d StepApplied, writes per"
              + " object all 1; %d objects found already applied by their step and not"
              + " rewritten%n",
          beforeKill, CLUSTERS, perStep.size(), notRewritten);
    }
  }

  private static List<StepApplied> of(EventTap tap, String rollout) {
    return tap.values(StepApplied.class).stream()
        .filter(a -> a.getEnvelope().getCorrelationId().equals(rollout))
        .toList();
  }

  /** The applier as its own JVM, on this test's class path, with its own consumer group. */
  private static Process applierProcess(
      KafkaBroker broker, SchemaRegistry registry, Path kubeconfig, Path log) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.stackpilot.events");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ApplierApplication.class.getName());
    command.addAll(
        List.of(
            ServiceArgs.of(
                broker,
                registry,
                "--stackpilot.kube.kubeconfig=" + kubeconfig,
                // a group of its own: it starts at the topic's beginning, so steps other tests
                // left there are handled too (they name clusters this kubeconfig lacks and fail)
                "--spring.cloud.stream.bindings.applyStep-in-0.group=applier-crash-it")));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
