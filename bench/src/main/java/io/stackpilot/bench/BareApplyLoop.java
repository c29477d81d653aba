package io.stackpilot.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.FleetClients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline (b): the applier's own renderer, then one fabric8 server-side apply per rendered
 * object (the applier's field manager, forced), on as many threads as the applier has consumers. No
 * Kafka, no read before the write, no retry loop, no events. Its clients come from a {@link
 * FleetClients} of its own on the same kubeconfig, so it talks HTTP as the applier does (one shared
 * Vert.x, the same pool bound and timeouts).
 */
final class BareApplyLoop {
  static final String LABEL = "(b) bare fabric8 SSA loop";

  private final FleetClients clients;
  private final int threads;
  private final StepRenderer renderer = new StepRenderer();

  BareApplyLoop(FleetClients clients, int threads) {
    this.clients = clients;
    this.threads = threads;
  }

  ApplyResult run(List<StepRequested> steps) throws Exception {
    double[] handling = new double[steps.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicLong objects = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Measurement.settle();
    long t0 = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < steps.size();
                      i = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    StepRequested step = steps.get(i);
                    KubernetesClient client = clients.client(step.getEnvelope().getCluster());
                    for (HasMetadata object : renderer.render(step)) {
                      client
                          .resource(object)
                          .fieldManager(Ownership.FIELD_MANAGER)
                          .forceConflicts()
                          .serverSideApply();
                      objects.incrementAndGet();
                    }
                    handling[i] = (System.nanoTime() - s) / 1e6;
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
    long nanos = System.nanoTime() - t0;
    return new ApplyResult(LABEL, steps.size(), objects.get(), nanos, handling, new double[0]);
  }
}
