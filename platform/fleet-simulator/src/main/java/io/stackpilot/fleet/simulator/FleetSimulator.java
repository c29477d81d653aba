package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of simulated Kubernetes clusters: one fabric8 mock API server (CRUD mode, server-side
 * apply shim) per cluster on 127.0.0.1, reached through a generated kubeconfig.
 */
public final class FleetSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FleetSimulator.class);
  private static final InetAddress LOOPBACK = ipv4Loopback();
  private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  // MockWebServer keeps every request it saw; a long local run or a benchmark must not grow forever
  private static final int MAX_RECORDED_REQUESTS = 10_000;
  // MockWebServer logs every request at INFO through java.util.logging; held strongly because
  // JUL forgets the level of a logger nobody references
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private final Map<String, SimulatedCluster> clusters;
  private final String kubeconfigYaml;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final ScheduledExecutorService housekeeping;
  private final ScheduledExecutorService controllers;

  private FleetSimulator(
      Map<String, SimulatedCluster> clusters, ScheduledExecutorService controllers) {
    this.clusters = clusters;
    this.controllers = controllers;
    Map<String, String> urls = new LinkedHashMap<>();
    clusters.forEach((name, cluster) -> urls.put(name, cluster.apiUrl()));
    this.kubeconfigYaml = Kubeconfigs.render(urls);
    this.housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fleet-simulator-housekeeping");
              thread.setDaemon(true);
              return thread;
            });
    housekeeping.scheduleWithFixedDelay(this::forgetRecordedRequests, 10, 10, TimeUnit.SECONDS);
  }

  /** Starts one simulated cluster per name, knowing the {@link WellKnownCustomResources}. */
  public static FleetSimulator start(List<String> clusterNames) {
    return start(clusterNames, WellKnownCustomResources.all());
  }

  /** Starts one simulated cluster per name, knowing exactly the given custom resource kinds. */
  public static FleetSimulator start(
      List<String> clusterNames, List<CustomResourceDefinitionContext> customResources) {
    validate(clusterNames);
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    List<CustomResourceDefinitionContext> kinds = new ArrayList<>(customResources);
    // the simulated Argo CD controller needs its kind known, whatever the caller listed
    if (kinds.stream().noneMatch(k -> "argoproj.io".equals(k.getGroup()))) {
      kinds.add(WellKnownCustomResources.ARGO_CD_APPLICATION);
    }
    if (kinds.stream().noneMatch(k -> "helm.toolkit.fluxcd.io".equals(k.getGroup()))) {
      kinds.add(WellKnownCustomResources.FLUX_HELM_RELEASE);
    }
    ScheduledExecutorService controllers = controllerThreads();
    Map<String, SimulatedCluster> started = new LinkedHashMap<>();
    try {
      for (String name : clusterNames) {
        started.put(name, SimulatedCluster.start(name, kinds, controllers));
        log.debug("simulated cluster {} listening at {}", name, started.get(name).apiUrl());
      }
    } catch (RuntimeException e) {
      started.values().forEach(SimulatedCluster::stop);
      controllers.shutdownNow();
      throw e;
    }
    return new FleetSimulator(started, controllers);
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
          return new KubernetesClientBuilder().withConfig(config).build();
        });
  }

  /** The simulated clusters' names, in start order. */
  public List<String> clusterNames() {
    return List.copyOf(clusters.keySet());
  }

  /** The API server URL of one cluster, e.g. {@code http://127.0.0.1:40123}. */
  public String apiUrl(String cluster) {
    return cluster(cluster).apiUrl();
  }

  /** The mock server behind one cluster, for tests that inject faults with {@code expect()}. */
  public KubernetesMockServer server(String cluster) {
    return cluster(cluster).server();
  }

  /** Registers a custom resource kind in every cluster, as if its CRD had been installed. */
  public void expectCustomResource(CustomResourceDefinitionContext customResource) {
    clusters.values().forEach(c -> c.dispatcher.expectCustomResource(customResource));
  }

  /**
   * The faults and rollout delay of one cluster: {@code faults("perso").crashLoop("mimir-ingester",
   * ClusterFaults.MIMIR_INGESTER_PUSH_GRPC_ERROR)}, {@code .apiErrors(500, 0.5)}, {@code
   * .unreachable()}, {@code .clear()}.
   */
  public ClusterFaults faults(String cluster) {
    return cluster(cluster).faults();
  }

  /** Closes the inspection clients and stops every simulated cluster. */
  @Override
  public void close() {
    housekeeping.shutdownNow();
    controllers.shutdownNow();
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
    clusters.values().forEach(SimulatedCluster::stop);
  }

  private SimulatedCluster cluster(String name) {
    SimulatedCluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new IllegalArgumentException(
          "no simulated cluster " + name + "; clusters are " + clusters.keySet());
    }
    return cluster;
  }

  private void forgetRecordedRequests() {
    clusters.values().stream()
        .map(SimulatedCluster::web)
        .filter(web -> web.getRequestCount() > MAX_RECORDED_REQUESTS)
        .forEach(MockWebServer::reset);
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

  /**
   * One simulated cluster: its store, faults and controllers live as long as the fleet; its web
   * server is replaced when the cluster is made unreachable and reachable again (same port).
   */
  private static final class SimulatedCluster implements ClusterFaults.Reachability {

    private final String name;
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new ConcurrentHashMap<>();
    private final SimulatedClusterDispatcher dispatcher;
    private final ClusterFaults faults;
    private final ReleaseController controller;
    private volatile KubernetesMockServer server;
    private volatile MockWebServer web;
    private volatile boolean reachable;
    private int port;

    private SimulatedCluster(
        String name,
        List<CustomResourceDefinitionContext> crds,
        ScheduledExecutorService controllers) {
      this.name = name;
      this.faults = new ClusterFaults(this, Duration.ZERO);
      this.dispatcher = new SimulatedClusterDispatcher(responses, crds, faults);
      this.controller = new ReleaseController(name, dispatcher.store(), faults, controllers);
      dispatcher.controller(controller);
    }

    static SimulatedCluster start(
        String name,
        List<CustomResourceDefinitionContext> crds,
        ScheduledExecutorService controllers) {
      SimulatedCluster cluster = new SimulatedCluster(name, crds, controllers);
      cluster.listen(0);
      return cluster;
    }

    @SuppressWarnings("deprecation") // the mapper fabric8's own mock server constructors use
    private synchronized void listen(int requestedPort) {
      MockWebServer newWeb = new MockWebServer();
      // a real API server does not speak HTTP/2 over cleartext; clients should not meet it here
      newWeb.setHttp2ClearTextEnabled(false);
      KubernetesMockServer newServer =
          new KubernetesMockServer(
              new Context(Serialization.jsonMapper()),
              newWeb,
              responses,
              new KeepStoreOnShutdown(dispatcher),
              false);
      // clients that check the server version should see a plausible one, not fabric8's 0.0
      newServer.setVersionInfo(
          new VersionInfo.Builder()
              .withMajor("1")
              .withMinor("31")
              .withGitVersion("v1.31.0-fleet-simulator")
              .build());
      newServer.start(LOOPBACK, requestedPort);
      this.web = newWeb;
      this.server = newServer;
      this.port = newServer.getPort();
      this.reachable = true;
    }

    String name() {
      return name;
    }

    KubernetesMockServer server() {
      return server;
    }

    MockWebServer web() {
      return web;
    }

    ClusterFaults faults() {
      return faults;
    }

    String apiUrl() {
      return "http://" + LOOPBACK.getHostAddress() + ":" + port;
    }

    @Override
    public synchronized void unreachable() {
      if (reachable) {
        reachable = false;
        server.shutdown(); // closes the port and every open connection, watches included
      }
    }

    @Override
    public synchronized void reachable() {
      if (!reachable) {
        listen(port);
      }
    }

    @Override
    public boolean isReachable() {
      return reachable;
    }

    synchronized void stop() {
      controller.stop();
      if (reachable) {
        reachable = false;
        server.shutdown();
      }
      dispatcher.shutdown();
      dispatcher.releaseResources();
    }
  }

  /**
   * Hands every request to the cluster's dispatcher but keeps it (and its store) alive when the web
   * server in front of it stops, so that the cluster can come back with its objects.
   */
  private static final class KeepStoreOnShutdown extends io.fabric8.mockwebserver.http.Dispatcher
      implements io.fabric8.kubernetes.client.server.mock.Resetable,
          io.fabric8.kubernetes.client.server.mock.CustomResourceAware {
    private final SimulatedClusterDispatcher dispatcher;

    KeepStoreOnShutdown(SimulatedClusterDispatcher dispatcher) {
      this.dispatcher = dispatcher;
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(
        io.fabric8.mockwebserver.http.RecordedRequest request) {
      return dispatcher.dispatch(request);
    }

    @Override
    public void reset() {
      dispatcher.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
      dispatcher.expectCustomResource(context);
    }
  }
}
