package io.stackpilot.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.fleet.simulator.FleetSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a thousand clusters' clients run on one Vert.x and one serialization between them,
 * each still talking to its own cluster, and that closing the fleet's clients stops that Vert.x.
 */
class FleetClientsIT {
  private static final int CLUSTERS = 1_000;
  // Vert.x starts one of these per instance, whatever its event-loop size
  private static final String VERTX_CHECKER = "vertx-blocked-thread-checker";

  private static FleetSimulator fleet;
  private static Path kubeconfig;

  @BeforeAll
  static void startFleet(@TempDir Path dir) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      names.add(String.format("c%04d", i));
    }
    fleet = FleetSimulator.start(names);
    kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    fleet.client(names.get(0)); // starts the simulator's own client Vert.x before any count
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @Test
  void aThousandClustersShareOneVertxAndKeepTheirOwnServer() throws Exception {
    int checkersBefore = threads(VERTX_CHECKER);
    try (FleetClients clients =
        new FleetClients(kubeconfig.toFile(), Map.of(), Duration.ofSeconds(10))) {
      for (String cluster : fleet.clusterNames()) {
        KubernetesClient client = clients.client(cluster);
        assertThat(client.getMasterUrl().toString()).startsWith(fleet.apiUrl(cluster));
        // a static token is the client's own: fabric8 does not re-read the kubeconfig every minute
        assertThat(client.getConfiguration().getOauthToken()).isNotBlank();
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("written-to-" + cluster)
                    .endMetadata()
                    .build())
            .create();
      }

      assertThat(clients.size()).isEqualTo(CLUSTERS);
      assertThat(
              fleet.clusterNames().stream()
                  .map(c -> clients.client(c).getKubernetesSerialization())
                  .distinct())
          .as("serializations made for %d clusters", CLUSTERS)
          .hasSize(1);
      assertThat(threads(VERTX_CHECKER) - checkersBefore)
          .as("Vert.x instances started for %d clusters", CLUSTERS)
          .isEqualTo(1);
      for (String cluster : List.of("c0000", "c0499", "c0999")) {
        assertThat(
                fleet.client(cluster).configMaps().inNamespace("default").list().getItems().stream()
                    .map(cm -> cm.getMetadata().getName()))
            .containsExactly("written-to-" + cluster);
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(threads(VERTX_CHECKER)).isEqualTo(checkersBefore));
  }

  @Test
  void aClusterWithoutContextIsUnknown() throws Exception {
    try (FleetClients clients =
        new FleetClients(kubeconfig.toFile(), Map.of(), Duration.ofSeconds(10))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> clients.client("mars"))
          .isInstanceOf(UnknownClusterException.class);
    }
    assertThat(Files.isRegularFile(kubeconfig)).isTrue();
  }

  private static int threads(String prefix) {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
            .count();
  }
}
