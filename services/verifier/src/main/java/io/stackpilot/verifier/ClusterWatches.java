package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stackpilot.kube.FleetClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on the kinds whose health the verifier judges, per cluster and per namespace, started
 * the first time a step needs them and kept until the verifier stops: release objects in the
 * namespaces of the steps' HelmReleases and Applications, workloads, Pods and claims in the
 * releases' target namespaces. Every event calls the listener with the cluster's name, so a
 * component is judged again within one watch event of a change.
 */
final class ClusterWatches implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatches.class);

  /** The kinds watched, by kind name. */
  static final Map<String, ResourceDefinitionContext> KINDS =
      Map.of(
          "Deployment", kind("apps", "v1", "Deployment", "deployments"),
          "StatefulSet", kind("apps", "v1", "StatefulSet", "statefulsets"),
          "DaemonSet", kind("apps", "v1", "DaemonSet", "daemonsets"),
          "Pod", kind("", "v1", "Pod", "pods"),
          "PersistentVolumeClaim",
              kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
          "HelmRelease", kind("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"),
          "Application", kind("argoproj.io", "v1alpha1", "Application", "applications"));

  static final List<String> RELEASE_KINDS = List.of("HelmRelease", "Application");

  /** What a release's target namespace is watched for. */
  static final List<String> TARGET_KINDS =
      List.of("Deployment", "StatefulSet", "DaemonSet", "Pod", "PersistentVolumeClaim");

  private final FleetClients clusters;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
  private volatile Consumer<String> listener = cluster -> {};
  private volatile boolean closed;

  ClusterWatches(FleetClients clusters) {
    this.clusters = clusters;
  }

  /** Called with the cluster's name after every watch event and when a watch has synced. */
  void onChange(Consumer<String> listener) {
    this.listener = listener;
  }

  /**
   * Starts watching {@code kind} in {@code namespace} of {@code cluster} unless it is watched
   * already.
   *
   * @return whether the watch has synced (its cache holds the namespace's objects)
   * @throws io.stackpilot.kube.UnknownClusterException when no kubeconfig context reaches it
   */
  boolean ensure(String cluster, String kind, String namespace) {
    String key = key(cluster, kind, namespace);
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(key);
    CompletableFuture<Void> synced = started.get(key);
    if (informer != null && synced != null && synced.isCompletedExceptionally()) {
      // its first list failed and the informer gave up (cluster unreachable): start it again
      forget(key, informer);
      informer = null;
    }
    if (informer == null) {
      informer = start(cluster, kind, namespace, key);
    }
    return informer != null && informer.hasSynced();
  }

  private synchronized void forget(
      String key, SharedIndexInformer<GenericKubernetesResource> informer) {
    if (informers.remove(key, informer)) {
      started.remove(key);
      informer.stop();
    }
  }

  private synchronized SharedIndexInformer<GenericKubernetesResource> start(
      String cluster, String kind, String namespace, String key) {
    SharedIndexInformer<GenericKubernetesResource> existing = informers.get(key);
    if (existing != null || closed) {
      return existing;
    }
    SharedIndexInformer<GenericKubernetesResource> informer =
        clusters
            .client(cluster)
            .genericKubernetesResources(KINDS.get(kind))
            .inNamespace(namespace)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource obj) {
            listener.accept(cluster);
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
            listener.accept(cluster);
          }

          @Override
          public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
            listener.accept(cluster);
          }
        });
    informers.put(key, informer);
    CompletableFuture<Void> synced = informer.start().toCompletableFuture();
    started.put(key, synced);
    synced.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            LOG.warn(
                "watch of {} in {}/{} failed: {}", kind, cluster, namespace, failure.toString());
          } else {
            LOG.info("watching {} in {}/{}", kind, cluster, namespace);
          }
          listener.accept(cluster);
        });
    return informer;
  }

  /** Waits up to {@code timeout} for every watch of {@code cluster} started so far to sync. */
  void awaitSynced(String cluster, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, CompletableFuture<Void>> e : started.entrySet()) {
      if (!e.getKey().startsWith(cluster + "|")) {
        continue;
      }
      long left = deadline - System.nanoTime();
      try {
        e.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception notYet) {
        // not synced in time, or failed: the caller sees it through ensure()
      }
    }
  }

  /** The cached object, or null when the watch holds none (or has not synced). */
  GenericKubernetesResource get(String cluster, String kind, String namespace, String name) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        informers.get(key(cluster, kind, namespace));
    return informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
  }

  /** The cached objects of {@code kind} in {@code namespace}. */
  List<GenericKubernetesResource> list(String cluster, String kind, String namespace) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        informers.get(key(cluster, kind, namespace));
    return informer == null ? List.of() : informer.getStore().list();
  }

  /** How many watches are open, for logs and tests. */
  int size() {
    return informers.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
    started.clear();
  }

  private static String key(String cluster, String kind, String namespace) {
    return cluster + "|" + kind + "|" + namespace;
  }

  private static ResourceDefinitionContext kind(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
