package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that one JVM runs a fleet of 1,000 simulated clusters that a fabric8 client reaches
 * through their own kubeconfig contexts, each holding only its own objects. Prints the start time
 * and the memory (figures, not assertions: a benchmark is a program).
 */
@Tag("scale") // about 30 s on 2 cores; skip in a quick loop with -DexcludedGroups=scale
class ThousandClustersTest {

  private static final int CLUSTERS = 1_000;
  private static final int CONCURRENCY = 16;

  @TempDir Path dir;

  @Test
  void aThousandClustersEachTakeAnApplyAndSeeOnlyTheirOwnObjects() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      names.add(String.format("cluster-%04d", i));
    }
    long started = System.nanoTime();
    try (FleetSimulator fleet = FleetSimulator.start(names)) {
      long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
      // parsed once: fabric8's fromKubeconfig(context, file) parses the whole file per call
      Map<String, Config> contexts = contexts(kubeconfig);
      Vertx vertx = Vertx.vertx();
      try {
        VertxHttpClientFactory shared = new VertxHttpClientFactory(vertx);
        long applyStarted = System.nanoTime();
        List<ConfigMap> applied =
            onEveryCluster(
                names,
                cluster ->
                    withClient(
                        shared,
                        contexts.get(cluster),
                        client ->
                            client
                                .resource(identity(cluster))
                                .fieldManager("stackpilot")
                                .forceConflicts()
                                .serverSideApply()));
        long applyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - applyStarted);
        List<List<ConfigMap>> seen =
            onEveryCluster(
                names,
                cluster ->
                    withClient(
                        shared,
                        contexts.get(cluster),
                        client -> client.configMaps().inNamespace("fleet").list().getItems()));

        Set<String> uids = new HashSet<>();
        for (int i = 0; i < CLUSTERS; i++) {
          String cluster = names.get(i);
          assertThat(applied.get(i).getData()).containsEntry("cluster", cluster);
          assertThat(seen.get(i))
              .as(cluster)
              .singleElement()
              .satisfies(cm -> assertThat(cm.getData()).containsEntry("cluster", cluster));
          uids.add(seen.get(i).get(0).getMetadata().getUid());
        }
        assertThat(uids).hasSize(CLUSTERS);
        assertThat(fleet.apiUrl(names.get(0))).isNotEqualTo(fleet.apiUrl(names.get(1)));

        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(
            "fleet-simulator scale: %d clusters started in %d ms; %d applies (concurrency %d) in"
                + " %d ms; heap used after GC %d MiB (committed %d MiB); live threads %d%n",
            CLUSTERS,
            startMillis,
            CLUSTERS,
            CONCURRENCY,
            applyMillis,
            heap.getUsed() >> 20,
            heap.getCommitted() >> 20,
            ManagementFactory.getThreadMXBean().getThreadCount());
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static <T> List<T> onEveryCluster(List<String> clusters, Function<String, T> task)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (String cluster : clusters) {
        futures.add(pool.submit(() -> task.apply(cluster)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T withClient(
      VertxHttpClientFactory factory, Config config, Function<KubernetesClient, T> use) {
    try (KubernetesClient client =
        new KubernetesClientBuilder().withHttpClientFactory(factory).withConfig(config).build()) {
      return use.apply(client);
    }
  }

  /** One client configuration per context of the kubeconfig: its cluster's server and user. */
  private static Map<String, Config> contexts(Path kubeconfig) {
    io.fabric8.kubernetes.api.model.Config parsed =
        KubeConfigUtils.parseConfig(kubeconfig.toFile());
    Map<String, String> servers = new HashMap<>();
    parsed.getClusters().forEach(c -> servers.put(c.getName(), c.getCluster().getServer()));
    Map<String, String> tokens = new HashMap<>();
    parsed.getUsers().forEach(u -> tokens.put(u.getName(), u.getUser().getToken()));
    Map<String, Config> configs = new HashMap<>();
    for (NamedContext context : parsed.getContexts()) {
      configs.put(
          context.getName(),
          new ConfigBuilder(Config.empty())
              .withMasterUrl(servers.get(context.getContext().getCluster()))
              .withOauthToken(tokens.get(context.getContext().getUser()))
              .withNamespace(context.getContext().getNamespace())
              .build());
    }
    return configs;
  }

  private static ConfigMap identity(String cluster) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("identity")
        .withNamespace("fleet")
        .endMetadata()
        .addToData("cluster", cluster)
        .build();
  }
}
