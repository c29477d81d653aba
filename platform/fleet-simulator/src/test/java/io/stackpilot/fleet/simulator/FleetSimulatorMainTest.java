package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stackpilot.fleet.simulator.FleetSimulatorMain.Options;
import io.stackpilot.fleet.simulator.FleetSimulatorMain.RunningFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  void faultsComeFromTheFaultsFileAndTheControlApi() throws Exception {
    Path faults = dir.resolve("faults.json");
    Files.writeString(
        faults,
        """
        {"clusters": {
          "*": {"rolloutDelay": "1h"},
          "perso": {"crashLoop": [{"workload": "mimir-ingester", "message": "boom"}]}}}
        """);
    Path ready = dir.resolve("fleet.ready");
    Options options =
        Options.parse(
            "--clusters", "foundation,perso",
            "--kubeconfig", dir.resolve("kubeconfig").toString(),
            "--ready-file", ready.toString(),
            "--control-port", "0",
            "--faults", faults.toString());

    try (RunningFleet running = FleetSimulatorMain.launch(options)) {
      FleetSimulator fleet = running.fleet();
      assertThat(fleet.faults("foundation").rolloutDelay()).isEqualTo(Duration.ofHours(1));
      assertThat(fleet.faults("perso").workloadFault("mimir-ingester"))
          .containsInstanceOf(ClusterFaults.CrashLoop.class);
      String control = running.control().orElseThrow().url();
      assertThat(Files.readAllLines(ready)).contains("control=" + control);

      HttpResponse<String> posted =
          send(
              control + "/faults/foundation",
              "POST",
              "{\"apiErrors\": [{\"code\": 403, \"path\": \"/secrets\"}]}");
      assertThat(posted.statusCode()).isEqualTo(200);
      assertThat(posted.body()).contains("\"code\":403");
      assertThatThrownBy(() -> fleet.client("foundation").secrets().inNamespace("x").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThat(send(control + "/faults", "GET", null).body())
          .contains("\"cluster\":\"perso\"", "\"mimir-ingester\":\"CrashLoopBackOff\"");

      assertThat(send(control + "/faults/foundation", "DELETE", null).statusCode()).isEqualTo(200);
      assertThat(fleet.client("foundation").secrets().inNamespace("x").list().getItems()).isEmpty();
      assertThat(send(control + "/faults/nowhere", "GET", null).statusCode()).isEqualTo(404);
      HttpResponse<String> bad = send(control + "/faults/perso", "POST", "{\"explode\": 1}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("unknown fault explode");

      assertThat(send(control + "/faults/perso", "POST", "{\"unreachable\": true}").statusCode())
          .isEqualTo(200);
      assertThat(fleet.faults("perso").isReachable()).isFalse();
      send(control + "/faults/perso", "POST", "{\"unreachable\": false}");
      assertThat(fleet.faults("perso").isReachable()).isTrue();
    }
  }

  private static HttpResponse<String> send(String url, String method, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
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
