package io.stackpilot.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 client per fleet cluster, built lazily from a kubeconfig context (the context named
 * like the cluster unless mapped otherwise), or from the pod's service account for the cluster
 * named {@value #IN_CLUSTER}. Clients are reused: each holds a connection pool.
 */
public final class FleetClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetClients.class);

  /** Cluster name that means "the cluster this service runs in". */
  public static final String IN_CLUSTER = "in-cluster";

  private final File kubeconfig;
  private final Map<String, String> contexts;
  private final Duration requestTimeout;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  /**
   * @param kubeconfig the kubeconfig file, or null to use only in-cluster credentials
   * @param contexts cluster name to kubeconfig context, where they differ
   */
  public FleetClients(File kubeconfig, Map<String, String> contexts, Duration requestTimeout) {
    this.kubeconfig = kubeconfig;
    this.contexts = Map.copyOf(contexts);
    this.requestTimeout = requestTimeout;
  }

  /**
   * The client for a cluster.
   *
   * @throws UnknownClusterException when no kubeconfig context reaches it: retrying cannot help
   */
  public KubernetesClient client(String cluster) {
    return clients.computeIfAbsent(cluster, this::create);
  }

  private KubernetesClient create(String cluster) {
    Config config = config(cluster);
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setConnectionTimeout((int) requestTimeout.toMillis());
    LOG.info("cluster {} reached at {}", cluster, config.getMasterUrl());
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private Config config(String cluster) {
    if (IN_CLUSTER.equals(cluster)) {
      return Config.autoConfigure(null);
    }
    if (kubeconfig == null || !kubeconfig.isFile()) {
      throw new UnknownClusterException(cluster, "no kubeconfig file (" + kubeconfig + ")");
    }
    String context = contexts.getOrDefault(cluster, cluster);
    Config config = Config.fromKubeconfig(context, kubeconfig);
    if (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName())) {
      throw new UnknownClusterException(
          cluster, "kubeconfig " + kubeconfig + " has no context '" + context + "'");
    }
    return config;
  }

  @Override
  public void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }
}
