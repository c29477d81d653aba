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

  private FleetSimulator(Map<String, SimulatedCluster> clusters) {
    this.clusters = clusters;
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
    Map<String, SimulatedCluster> started = new LinkedHashMap<>();
    try {
      for (String name : clusterNames) {
        started.put(name, SimulatedCluster.start(name, customResources));
        log.debug("simulated cluster {} listening at {}", name, started.get(name).apiUrl());
      }
    } catch (RuntimeException e) {
      started.values().forEach(SimulatedCluster::stop);
      throw e;
    }
    return new FleetSimulator(started);
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
    clusters.values().forEach(c -> c.server().expectCustomResource(customResource));
  }

  /** Closes the inspection clients and stops every simulated cluster. */
  @Override
  public void close() {
    housekeeping.shutdownNow();
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

  private static InetAddress ipv4Loopback() {
    try {
      // explicitly IPv4: getLoopbackAddress() may answer ::1, which kubeconfig URLs need bracketed
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One running mock API server and the plain web server under it. */
  private record SimulatedCluster(String name, KubernetesMockServer server, MockWebServer web) {

    @SuppressWarnings("deprecation") // the mapper fabric8's own mock server constructors use
    static SimulatedCluster start(String name, List<CustomResourceDefinitionContext> crds) {
      Map<ServerRequest, Queue<ServerResponse>> responses = new ConcurrentHashMap<>();
      MockWebServer web = new MockWebServer();
      // a real API server does not speak HTTP/2 over cleartext; clients should not meet it here
      web.setHttp2ClearTextEnabled(false);
      KubernetesMockServer server =
          new KubernetesMockServer(
              new Context(Serialization.jsonMapper()),
              web,
              responses,
              new SimulatedClusterDispatcher(responses, crds),
              false);
      // clients that check the server version should see a plausible one, not fabric8's 0.0
      server.setVersionInfo(
          new VersionInfo.Builder()
              .withMajor("1")
              .withMinor("31")
              .withGitVersion("v1.31.0-fleet-simulator")
              .build());
      server.start(LOOPBACK, 0);
      return new SimulatedCluster(name, server, web);
    }

    String apiUrl() {
      return "http://" + LOOPBACK.getHostAddress() + ":" + server.getPort();
    }

    void stop() {
      server.shutdown();
    }
  }
}
