package io.stackpilot.kube;

import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.spi.resolver.ResolverProvider;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 client per fleet cluster, built lazily from a kubeconfig context (the context named
 * like the cluster unless mapped otherwise), or from the pod's service account for the cluster
 * named {@value #IN_CLUSTER}. Clients are reused: each holds a bounded connection pool. All of them
 * share one Vert.x (event loops, selectors, the blocked-thread checker), one JSON/YAML
 * serialization and one pool of task threads (informer and watch callbacks): made per cluster, they
 * cost threads, file descriptors and heap per cluster, which a 1,000-cluster fleet cannot afford.
 */
public final class FleetClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetClients.class);

  /** Cluster name that means "the cluster this service runs in". */
  public static final String IN_CLUSTER = "in-cluster";

  /**
   * Default bound of one cluster's HTTP/1 connection pool. A service handles a cluster's steps on
   * one consumer thread at a time (the steps topic is keyed by cluster), so a few connections are
   * enough; fabric8's own default (8,192) would let one busy cluster take the process's
   * descriptors.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLUSTER = 8;

  private final File kubeconfig;
  private final Map<String, String> contexts;
  private final Duration requestTimeout;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final VertxHttpClientFactory httpClients;
  // Each KubernetesClientBuilder otherwise makes its own: an ObjectMapper whose caches fill per
  // client, and a registry of every model class. Thread-safe and independent of the cluster.
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  // Each client otherwise gets fabric8's default: an unbounded cached thread pool of its own, which
  // runs its informers' and watches' callbacks. Per cluster, idle threads are not reused across
  // clusters: an informer loop on 1,000 clusters held 3,860 threads. Shared, a thread serves any
  // cluster; still unbounded, as fabric8's, since a callback may block.
  private final ExecutorService tasks = Executors.newCachedThreadPool(taskThreads());
  // guarded by this
  private io.fabric8.kubernetes.api.model.Config parsed;
  private long parsedModified;
  private long parsedLength;

  /**
   * @param kubeconfig the kubeconfig file, or null to use only in-cluster credentials
   * @param contexts cluster name to kubeconfig context, where they differ
   */
  public FleetClients(File kubeconfig, Map<String, String> contexts, Duration requestTimeout) {
    this(kubeconfig, contexts, requestTimeout, DEFAULT_MAX_CONNECTIONS_PER_CLUSTER);
  }

  /**
   * @param maxConnectionsPerCluster bound of each cluster's connection pool; requests beyond it
   *     wait for a connection
   */
  public FleetClients(
      File kubeconfig,
      Map<String, String> contexts,
      Duration requestTimeout,
      int maxConnectionsPerCluster) {
    if (maxConnectionsPerCluster < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerCluster must be > 0, was " + maxConnectionsPerCluster);
    }
    this.kubeconfig = kubeconfig;
    this.contexts = Map.copyOf(contexts);
    this.requestTimeout = requestTimeout;
    this.vertx = sharedVertx();
    this.httpClients = new BoundedPoolFactory(vertx, maxConnectionsPerCluster);
  }

  /**
   * The client for a cluster.
   *
   * @throws UnknownClusterException when no kubeconfig context reaches it: retrying cannot help
   */
  public KubernetesClient client(String cluster) {
    return clients.computeIfAbsent(cluster, this::create);
  }

  /** How many clusters have a client now. */
  public int size() {
    return clients.size();
  }

  private KubernetesClient create(String cluster) {
    Config config = config(cluster);
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setConnectionTimeout((int) requestTimeout.toMillis());
    LOG.info("cluster {} reached at {}", cluster, config.getMasterUrl());
    // its own Config (URL, credentials, TLS, timeouts) and pool; the shared Vert.x under it
    return new KubernetesClientBuilder()
        .withHttpClientFactory(httpClients)
        .withKubernetesSerialization(serialization)
        .withTaskExecutor(tasks) // the client does not shut down an executor given this way
        .withConfig(config)
        .build();
  }

  private Config config(String cluster) {
    if (IN_CLUSTER.equals(cluster)) {
      return Config.autoConfigure(null);
    }
    if (kubeconfig == null || !kubeconfig.isFile()) {
      throw new UnknownClusterException(cluster, "no kubeconfig file (" + kubeconfig + ")");
    }
    String context = contexts.getOrDefault(cluster, cluster);
    Config config = Config.empty();
    // what Config.fromKubeconfig(context, file) does, without parsing the file for every cluster
    synchronized (this) {
      io.fabric8.kubernetes.api.model.Config file = parsedKubeconfig();
      KubeConfigUtils.merge(config, context, file);
      pinStaticToken(config, context, file);
    }
    if (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName())) {
      throw new UnknownClusterException(
          cluster, "kubeconfig " + kubeconfig + " has no context '" + context + "'");
    }
    return config;
  }

  /**
   * Makes a user's static token (no exec plugin, no auth provider) the client's own. Otherwise
   * fabric8's {@code TokenRefreshInterceptor}, on the first request a minute after the last
   * refresh, calls {@code Config.refresh()}, which parses the whole kubeconfig file again on the
   * thread making the request: with a context per cluster, every cluster's client parses the whole
   * fleet's file once a minute (in a 1,000-cluster informer loop, 54 of 112 threads were in that
   * parse at once). A static token cannot change without the file changing, and clients made after
   * such a change read it; exec plugins and auth providers keep fabric8's refresh.
   */
  private static void pinStaticToken(
      Config config, String context, io.fabric8.kubernetes.api.model.Config file) {
    if (file.getContexts() == null || file.getUsers() == null) {
      return;
    }
    String user =
        file.getContexts().stream()
            .filter(c -> context.equals(c.getName()) && c.getContext() != null)
            .map(c -> c.getContext().getUser())
            .findFirst()
            .orElse(null);
    file.getUsers().stream()
        .filter(u -> u.getName() != null && u.getName().equals(user) && u.getUser() != null)
        .map(NamedAuthInfo::getUser)
        .findFirst()
        .filter(a -> a.getToken() != null && !a.getToken().isBlank())
        .filter(a -> a.getExec() == null && a.getAuthProvider() == null)
        .ifPresent(a -> config.setOauthToken(a.getToken()));
  }

  /**
   * The kubeconfig, parsed again only when the file changed. A fleet's kubeconfig has a context per
   * cluster, so parsing it once per cluster costs time quadratic in the fleet (about 80 ms a parse
   * at 1,000 contexts).
   */
  private io.fabric8.kubernetes.api.model.Config parsedKubeconfig() {
    long modified = kubeconfig.lastModified();
    long length = kubeconfig.length();
    if (parsed == null || modified != parsedModified || length != parsedLength) {
      parsed = KubeConfigUtils.parseConfig(kubeconfig);
      parsedModified = modified;
      parsedLength = length;
    }
    return parsed;
  }

  /**
   * Closes every cluster's client, then the shared task threads and Vert.x (waiting up to 10 s for
   * it).
   */
  @Override
  public void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
    tasks.shutdownNow();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("shared Vert.x of the fleet clients did not close cleanly", e);
    }
  }

  /** Daemon threads, as fabric8's own task threads are. */
  private static java.util.concurrent.ThreadFactory taskThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "fleet-clients-task-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * The Vert.x fabric8 would make for one client (daemon threads, no file caching, the JDK's
   * resolver instead of Vert.x's async DNS resolver), made once for the fleet.
   */
  private static Vertx sharedVertx() {
    VertxOptions options =
        new VertxOptions()
            .setFileSystemOptions(
                new FileSystemOptions()
                    .setFileCachingEnabled(false)
                    .setClassPathResolvingEnabled(false))
            .setUseDaemonThread(true);
    // read when the Vert.x is created, so set only around its creation (as fabric8 does)
    String property = ResolverProvider.DISABLE_DNS_RESOLVER_PROP_NAME;
    String previous = System.getProperty(property);
    try {
      System.setProperty(property, "true");
      return Vertx.vertx(options);
    } finally {
      if (previous == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, previous);
      }
    }
  }

  /** fabric8's Vert.x factory on the shared Vert.x, with each client's pool bounded. */
  private static final class BoundedPoolFactory extends VertxHttpClientFactory {
    private final int maxConnections;

    BoundedPoolFactory(Vertx vertx, int maxConnections) {
      super(vertx);
      this.maxConnections = maxConnections;
    }

    @Override
    protected void additionalConfig(WebClientOptions options) {
      options.setMaxPoolSize(maxConnections);
    }
  }
}
