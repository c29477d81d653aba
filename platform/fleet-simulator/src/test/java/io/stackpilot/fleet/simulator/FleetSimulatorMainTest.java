package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.stackpilot.fleet.simulator.FleetSimulatorMain.Options;
import io.stackpilot.fleet.simulator.FleetSimulatorMain.RunningFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the command-line entry point publishes a usable kubeconfig and then a ready file. */
class FleetSimulatorMainTest {

  @TempDir Path dir;

  @Test
  void writesKubeconfigAndReadyFileAndWithdrawsTheReadyFileOnClose() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Path ready = dir.resolve("state/fleet.ready");
    Options options =
        Options.parse(
            "--clusters",
            "foundation,cryptellation,perso",
            "--kubeconfig",
            kubeconfig.toString(),
            "--ready-file=" + ready);

    try (RunningFleet running = FleetSimulatorMain.launch(options)) {
      assertThat(Files.readAllLines(ready))
          .containsExactly(
              "kubeconfig=" + kubeconfig.toAbsolutePath(),
              "cluster.foundation=" + running.fleet().apiUrl("foundation"),
              "cluster.cryptellation=" + running.fleet().apiUrl("cryptellation"),
              "cluster.perso=" + running.fleet().apiUrl("perso"));
      try (KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig("perso", kubeconfig.toFile()))
              .build()) {
        client
            .resource(new NamespaceBuilder().withNewMetadata().withName("up").endMetadata().build())
            .fieldManager("stackpilot")
            .forceConflicts()
            .serverSideApply();
        assertThat(running.fleet().client("perso").namespaces().withName("up").get()).isNotNull();
      }
    }

    assertThat(ready).doesNotExist();
    assertThat(kubeconfig).exists();
  }

  @Test
  void parsesOptions() {
    assertThat(Options.parse("--kubeconfig", "k", "--clusters", "a, b,"))
        .isEqualTo(new Options(List.of("a", "b"), Path.of("k"), Optional.empty()));
  }

  @Test
  void refusesIncompleteOrUnknownOptions() {
    assertThatThrownBy(() -> Options.parse("--clusters", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.parse("--clusters", "a", "--kubeconfig"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.parse("--clusters", "a", "--kubeconfig", "k", "--port", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
