package io.stackpilot.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.stackpilot.kube.FleetClients;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline of VerifyBenchmark, run in a JVM of its own: fabric8 informers on the simulated
 * clusters and a loop that calls a component ready with {@link MinimumReadiness}, nothing else (no
 * Kafka, no reads beyond the watches, no reasons). It watches what the verifier watches for a Flux
 * component in one namespace: HelmReleases, and Deployments, StatefulSets, DaemonSets, Pods and
 * claims, one informer per (cluster, kind, namespace), started when a pass first needs it and kept.
 * Watch events mark their cluster dirty; one thread checks a dirty cluster's waiting components, as
 * the verifier's judge thread does.
 *
 * <p>Arguments: kubeconfig, items file (lines {@code cluster namespace release}), output directory.
 * It writes {@code ready} there once its clients exist; each line {@code go <label>} on its
 * standard input starts a pass over every item, all told at once, and the pass's figures go to
 * {@code <label>.txt} (the wall nanoseconds and the informers started again so far, then one
 * told-to-seen-ready latency in ms per item).
 */
public final class InformerBaseline {
  static final String LABEL = "(b) bare informer loop";

  /** What the verifier watches in a Flux release's namespace (ClusterWatches), in that order. */
  static final Map<String, ResourceDefinitionContext> KINDS = kinds();

  private static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "DaemonSet");

  record Item(String cluster, String namespace, String release) {}

  private final FleetClients clients;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final ExecutorService checker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "baseline-check");
            t.setDaemon(true);
            return t;
          });
  private volatile Pass pass;
  // informers started again after their first list failed
  private final AtomicInteger restarts = new AtomicInteger();

  InformerBaseline(FleetClients clients) {
    this.clients = clients;
  }

  public static void main(String[] args) throws Exception {
    List<Item> items = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) {
        items.add(new Item(f[0], f[1], f[2]));
      }
    }
    Path out = Path.of(args[2]);
    try (FleetClients clients =
        new FleetClients(new File(args[0]), Map.of(), Duration.ofSeconds(10))) {
      InformerBaseline loop = new InformerBaseline(clients);
      Files.writeString(out.resolve("ready"), items.size() + "\n");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("go ")) {
          String label = line.substring(3).trim();
          double[] latencies = new double[items.size()];
          long nanos = loop.run(items, latencies);
          StringBuilder text =
              new StringBuilder()
                  .append(nanos)
                  .append(' ')
                  .append(loop.restarts.get())
                  .append('\n');
          for (double l : latencies) {
            text.append(l).append('\n');
          }
          Path tmp = out.resolve(label + ".tmp");
          Files.writeString(tmp, text);
          Files.move(tmp, out.resolve(label + ".txt"), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      loop.close();
    }
    System.exit(0);
  }

  /** One pass: every item told at once; returns the wall nanoseconds until the last is ready. */
  long run(List<Item> items, double[] latencies) throws InterruptedException {
    Pass current = new Pass(items, latencies);
    pass = current;
    Map<String, List<Item>> byCluster = current.waiting;
    for (Map.Entry<String, List<Item>> e : byCluster.entrySet()) {
      for (Item item : e.getValue()) {
        for (String kind : KINDS.keySet()) {
          ensure(item.cluster(), kind, item.namespace());
        }
      }
      changed(e.getKey());
    }
    if (!current.done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException(current.done.getCount() + " items not ready in 30 min");
    }
    return System.nanoTime() - current.start;
  }

  /**
   * Starts the informer unless it runs; starts it again when its first list failed (fabric8's
   * informer then stops for good), as the verifier's ClusterWatches does.
   */
  private synchronized void ensure(String cluster, String kind, String namespace) {
    String key = cluster + "|" + kind + "|" + namespace;
    CompletableFuture<Void> synced = started.get(key);
    if (synced != null && synced.isCompletedExceptionally()) {
      SharedIndexInformer<GenericKubernetesResource> failed = informers.remove(key);
      started.remove(key, synced);
      if (failed != null) {
        failed.stop();
        restarts.incrementAndGet();
      }
    }
    informers.computeIfAbsent(key, k -> start(cluster, kind, namespace, k));
  }

  private SharedIndexInformer<GenericKubernetesResource> start(
      String cluster, String kind, String namespace, String key) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        clients
            .client(cluster)
            .genericKubernetesResources(KINDS.get(kind))
            .inNamespace(namespace)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource obj) {
            changed(cluster);
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
            changed(cluster);
          }

          @Override
          public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
            changed(cluster);
          }
        });
    CompletableFuture<Void> synced = informer.start().toCompletableFuture();
    started.put(key, synced);
    synced.whenComplete((ok, failure) -> changed(cluster));
    return informer;
  }

  private void changed(String cluster) {
    if (dirty.add(cluster)) {
      checker.execute(
          () -> {
            dirty.remove(cluster);
            check(cluster);
          });
    }
  }

  /** On the checker thread: the cluster's waiting items that are ready now are done. */
  private void check(String cluster) {
    Pass current = pass;
    List<Item> waiting = current == null ? null : current.waiting.get(cluster);
    if (waiting == null) {
      return;
    }
    synchronized (waiting) {
      for (Item item : waiting) {
        for (String kind : KINDS.keySet()) {
          ensure(item.cluster(), kind, item.namespace());
        }
      }
      waiting.removeIf(item -> ready(item) && current.seen(item));
    }
  }

  private boolean ready(Item item) {
    for (String kind : KINDS.keySet()) {
      SharedIndexInformer<GenericKubernetesResource> informer =
          informers.get(item.cluster() + "|" + kind + "|" + item.namespace());
      if (informer == null || !informer.hasSynced()) {
        return false;
      }
    }
    GenericKubernetesResource release =
        informer(item, "HelmRelease").getStore().getByKey(item.namespace() + "/" + item.release());
    if (release == null || !MinimumReadiness.releaseReady(release)) {
      return false;
    }
    int workloads = 0;
    for (String kind : WORKLOADS) {
      for (GenericKubernetesResource w : informer(item, kind).getStore().list()) {
        if (MinimumReadiness.ofRelease(w, item.release())) {
          if (!MinimumReadiness.workloadReady(w)) {
            return false;
          }
          workloads++;
        }
      }
    }
    return workloads > 0;
  }

  private SharedIndexInformer<GenericKubernetesResource> informer(Item item, String kind) {
    return informers.get(item.cluster() + "|" + kind + "|" + item.namespace());
  }

  void close() {
    checker.shutdownNow();
    informers.values().forEach(SharedIndexInformer::stop);
  }

  /** The items of one pass not seen ready yet, by cluster, and their latencies as they come. */
  private static final class Pass {
    final long start = System.nanoTime();
    final Map<String, List<Item>> waiting = new LinkedHashMap<>();
    final Map<Item, Integer> index = new ConcurrentHashMap<>();
    final double[] latencies;
    final CountDownLatch done;

    Pass(List<Item> items, double[] latencies) {
      this.latencies = latencies;
      this.done = new CountDownLatch(items.size());
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        index.put(item, i);
        waiting.computeIfAbsent(item.cluster(), c -> new ArrayList<>()).add(item);
      }
    }

    boolean seen(Item item) {
      latencies[index.get(item)] = (System.nanoTime() - start) / 1e6;
      done.countDown();
      return true;
    }
  }

  private static Map<String, ResourceDefinitionContext> kinds() {
    Map<String, ResourceDefinitionContext> kinds = new LinkedHashMap<>();
    kinds.put("HelmRelease", kind("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"));
    kinds.put("Deployment", kind("apps", "v1", "Deployment", "deployments"));
    kinds.put("StatefulSet", kind("apps", "v1", "StatefulSet", "statefulsets"));
    kinds.put("DaemonSet", kind("apps", "v1", "DaemonSet", "daemonsets"));
    kinds.put("Pod", kind("", "v1", "Pod", "pods"));
    kinds.put(
        "PersistentVolumeClaim", kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"));
    return kinds;
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
