package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of simulated Kubernetes clusters: one fabric8 CRUD mock store (with the server-side apply
 * shim, simulated controllers and injectable faults) per cluster, each on its own port of
 * 127.0.0.1, all served by one shared vert.x, reached through a generated kubeconfig.
 */
public final class FleetSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FleetSimulator.class);
  private static final InetAddress LOOPBACK = ipv4Loopback();
  private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final Map<String, SimulatedCluster> clusters;
  private final String kubeconfigYaml;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final ScheduledExecutorService controllers;
  private Vertx clientVertx;

  private FleetSimulator(
      Map<String, SimulatedCluster> clusters, Vertx vertx, ScheduledExecutorService controllers) {
    this.clusters = clusters;
    this.vertx = vertx;
    this.controllers = controllers;
    Map<String, String> urls = new LinkedHashMap<>();
    clusters.forEach((name, cluster) -> urls.put(name, cluster.apiUrl()));
    this.kubeconfigYaml = Kubeconfigs.render(urls);
  }

  /** Starts one simulated cluster per name, knowing the {@link WellKnownCustomResources}. */
  public static FleetSimulator start(List<String> clusterNames) {
    return start(clusterNames, WellKnownCustomResources.all());
  }

  /** Starts one simulated cluster per name, knowing exactly the given custom resource kinds. */
  public static FleetSimulator start(
      List<String> clusterNames, List<CustomResourceDefinitionContext> customResources) {
    validate(clusterNames);
    List<CustomResourceDefinitionContext> kinds = new ArrayList<>(customResources);
    // the simulated Argo CD controller needs its kind known, whatever the caller listed
    if (kinds.stream().noneMatch(k -> "argoproj.io".equals(k.getGroup()))) {
      kinds.add(WellKnownCustomResources.ARGO_CD_APPLICATION);
    }
    if (kinds.stream().noneMatch(k -> "helm.toolkit.fluxcd.io".equals(k.getGroup()))) {
      kinds.add(WellKnownCustomResources.FLUX_HELM_RELEASE);
    }
    ScheduledExecutorService controllers = controllerThreads();
    Vertx vertx = sharedVertx();
    Map<String, SimulatedCluster> started = new LinkedHashMap<>();
    try {
      for (String name : clusterNames) {
        started.put(name, SimulatedCluster.start(name, vertx, LOOPBACK, kinds, controllers));
        log.debug("simulated cluster {} listening at {}", name, started.get(name).apiUrl());
      }
    } catch (RuntimeException e) {
      started.values().forEach(SimulatedCluster::stop);
      controllers.shutdownNow();
      vertx.close();
      throw e;
    }
    return new FleetSimulator(started, vertx, controllers);
  }

  /** Writes {@link #kubeconfigYaml()} to {@code file} (atomically, owner-only) and returns it. */
  public Path writeKubeconfig(Path file) {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), ".kubeconfig-", ".tmp");
      Files.writeString(temporary, kubeconfigYaml);
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig " + target, e);
    }
    return file;
  }

  /** The kubeconfig: one cluster, user and context per simulated cluster, the first current. */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** A client for direct inspection, default namespace {@code default}; closed with the fleet. */
  public KubernetesClient client(String cluster) {
    String apiUrl = apiUrl(cluster);
    return clients.computeIfAbsent(
        cluster,
        name -> {
          Config config =
              new ConfigBuilder(Config.empty())
                  .withMasterUrl(apiUrl)
                  .withNamespace(Kubeconfigs.NAMESPACE)
                  .withOauthToken(Kubeconfigs.TOKEN)
                  .build();
          return new KubernetesClientBuilder()
              .withHttpClientFactory(clientFactory())
              .withConfig(config)
              .build();
        });
  }

  // the inspection clients' own vert.x, apart from the servers' event loops
  private synchronized VertxHttpClientFactory clientFactory() {
    if (clientVertx == null) {
      clientVertx =
          Vertx.vertx(
              new VertxOptions()
                  .setEventLoopPoolSize(2)
                  .setWorkerPoolSize(2)
                  .setInternalBlockingPoolSize(2));
    }
    return new VertxHttpClientFactory(clientVertx);
  }

  /** The simulated clusters' names, in start order. */
  public List<String> clusterNames() {
    return List.copyOf(clusters.keySet());
  }

  /** The API server URL of one cluster, e.g. {@code http://127.0.0.1:40123}. */
  public String apiUrl(String cluster) {
    return cluster(cluster).apiUrl();
  }

  /**
   * Records a canned answer for one cluster, as fabric8's {@code server.expect()}: e.g. {@code
   * expect("perso").get().withPath(p).andReturn(403, "forbidden").once()}. Answered before the
   * store, after {@link #faults(String) faults}.
   */
  public MockServerExpectation expect(String cluster) {
    return cluster(cluster).expect();
  }

  /**
   * One cluster's canned answers, for tests written against fabric8's {@code
   * server(cluster).expect()}: the same as {@link #expect(String)}.
   */
  public CannedAnswers server(String cluster) {
    SimulatedCluster simulated = cluster(cluster);
    return simulated::expect;
  }

  /** Where a test records canned answers for one cluster. */
  @FunctionalInterface
  public interface CannedAnswers {
    /** Starts recording a canned answer, as fabric8's {@code KubernetesMockServer.expect()}. */
    MockServerExpectation expect();
  }

  /** Registers a custom resource kind in every cluster, as if its CRD had been installed. */
  public void expectCustomResource(CustomResourceDefinitionContext customResource) {
    clusters.values().forEach(c -> c.dispatcher().expectCustomResource(customResource));
  }

  /**
   * The faults and rollout delay of one cluster: {@code faults("perso").crashLoop("mimir-ingester",
   * ClusterFaults.MIMIR_INGESTER_PUSH_GRPC_ERROR)}, {@code .apiErrors(500, 0.5)}, {@code
   * .unreachable()}, {@code .clear()}.
   */
  public ClusterFaults faults(String cluster) {
    return cluster(cluster).faults();
  }

  /**
   * Successful client writes (create, update, patch or apply, delete) per object path of one
   * cluster since the start or the last {@link #resetWrites(String)}, e.g. {@code
   * /api/v1/namespaces/x/configmaps/y -> 1}; a {@code /status} write counts under its own path. The
   * simulated controllers' writes are not counted. For "applied exactly once" tests.
   */
  public Map<String, Long> writes(String cluster) {
    return cluster(cluster).dispatcher().writes().snapshot();
  }

  /** Forgets the write counts of one cluster. */
  public void resetWrites(String cluster) {
    cluster(cluster).dispatcher().writes().reset();
  }

  /** Closes the inspection clients and stops every simulated cluster. */
  @Override
  public void close() {
    controllers.shutdownNow();
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
    synchronized (this) {
      if (clientVertx != null) {
        clientVertx.close();
      }
    }
    clusters.values().forEach(SimulatedCluster::stop);
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private SimulatedCluster cluster(String name) {
    SimulatedCluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new IllegalArgumentException(
          "no simulated cluster " + name + "; clusters are " + clusters.keySet());
    }
    return cluster;
  }

  private static void validate(List<String> clusterNames) {
    if (clusterNames.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one cluster");
    }
    List<String> invalid = new ArrayList<>();
    var seen = new HashSet<String>();
    for (String name : clusterNames) {
      if (!CLUSTER_NAME.matcher(name).matches() || !seen.add(name)) {
        invalid.add(name);
      }
    }
    if (!invalid.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster names must be unique DNS labels (a-z, 0-9, -): " + invalid);
    }
  }

  // one vert.x for every cluster's server: a few event-loop threads serve all of them (a vert.x
  // per cluster, as fabric8's MockWebServer makes, costs three threads per cluster idle)
  private static Vertx sharedVertx() {
    return Vertx.vertx(
        new VertxOptions()
            .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerPoolSize(2)
            .setInternalBlockingPoolSize(2));
  }

  // shared by every cluster of the fleet: reconciles are short, in-process and never block
  private static ScheduledExecutorService controllerThreads() {
    java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ScheduledThreadPoolExecutor pool =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            2,
            task -> {
              Thread thread =
                  new Thread(task, "fleet-simulator-controllers-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  private static InetAddress ipv4Loopback() {
    try {
      // explicitly IPv4: getLoopbackAddress() may answer ::1, which kubeconfig URLs need bracketed
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
