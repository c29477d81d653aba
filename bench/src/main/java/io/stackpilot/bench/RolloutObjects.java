package io.stackpilot.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.ResourceRefs;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import io.stackpilot.kube.FleetClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one rollout leaves on the simulated fleet before anything is verified: each step rendered by
 * the applier's {@link StepRenderer} and server-side applied as the applier applies it (its field
 * managers, forced), so the simulated Flux controller turns every HelmRelease into its chart's
 * workloads and reports them ready. The refs returned are what the applier's StepApplied would
 * list.
 */
final class RolloutObjects {
  private RolloutObjects() {}

  /** Applies every step's objects on {@code threads} threads; the listed refs by step id. */
  static Map<String, List<ResourceRef>> apply(
      FleetClients clients, List<StepRequested> steps, int threads) throws Exception {
    StepRenderer renderer = new StepRenderer();
    Map<String, List<ResourceRef>> refs = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < steps.size();
                      i = next.getAndIncrement()) {
                    StepRequested step = steps.get(i);
                    KubernetesClient client = clients.client(step.getEnvelope().getCluster());
                    List<ResourceRef> done = new ArrayList<>();
                    for (HasMetadata object : renderer.render(step)) {
                      HasMetadata live =
                          client
                              .resource(object)
                              .fieldManager(Ownership.fieldManager(object, step.getComponent()))
                              .forceConflicts()
                              .serverSideApply();
                      done.add(ResourceRefs.of(live));
                    }
                    refs.put(step.getStepId(), done);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return refs;
  }

  /**
   * Waits until every cluster's {@code expected} HelmReleases in {@code namespace} are Ready for
   * their current generation (the simulated helm-controller says so once all their workloads are).
   */
  static void awaitReady(
      FleetClients clients, List<String> clusters, String namespace, int expected, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = new ArrayList<>(clusters);
    while (!waiting.isEmpty()) {
      waiting.removeIf(cluster -> readyReleases(clients, cluster, namespace) >= expected);
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            waiting.size()
                + " clusters still have HelmReleases not Ready after "
                + timeout
                + ", e.g. "
                + waiting.get(0));
      }
      Thread.sleep(500);
    }
  }

  private static long readyReleases(FleetClients clients, String cluster, String namespace) {
    List<GenericKubernetesResource> releases =
        clients
            .client(cluster)
            .genericKubernetesResources(WellKnownCustomResources.FLUX_HELM_RELEASE)
            .inNamespace(namespace)
            .list()
            .getItems();
    return releases.stream().filter(MinimumReadiness::releaseReady).count();
  }
}
