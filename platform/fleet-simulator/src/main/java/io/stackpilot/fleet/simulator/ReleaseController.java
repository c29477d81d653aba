package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.stackpilot.fleet.simulator.ChartCatalog.Kind;
import io.stackpilot.fleet.simulator.ChartCatalog.Workload;
import io.stackpilot.fleet.simulator.Release.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated cluster's Helm and Argo CD controllers: turns each HelmRelease / Application into
 * the workloads and Services of its chart, then, after the cluster's rollout delay, reports them
 * ready (or failing, under an injected fault) and sets the release's status.
 *
 * <p>Triggered by the cluster's dispatcher after every successful write to a release (see DESIGN.md
 * for why not a watch); writes straight into the cluster's store, so clients see the same objects,
 * resourceVersions and watch events as for their own writes. Every step reads the stored state
 * again and is idempotent.
 */
final class ReleaseController {

  private static final Logger log = LoggerFactory.getLogger(ReleaseController.class);
  private static final Pattern RELEASE_PATH =
      Pattern.compile(
          "^/apis/(?:helm\\.toolkit\\.fluxcd\\.io/v2|argoproj\\.io/v1alpha1)/namespaces/([^/]+)/"
              + "(helmreleases|applications)(?:/([^/]+))?(?:/status)?$");

  private final String cluster;
  private final ServerSideApplyDispatcher store;
  private final ClusterFaults faults;
  private final ScheduledExecutorService scheduler;
  private final WorkloadPods pods;
  // the releases this controller has acted on: what to clean up when one disappears
  private final Map<String, Release> known = new ConcurrentHashMap<>();
  // release path -> the generation whose rollout succeeded (Flux does not look again after that)
  private final Map<String, Long> succeeded = new ConcurrentHashMap<>();

  ReleaseController(
      String cluster,
      ServerSideApplyDispatcher store,
      ClusterFaults faults,
      ScheduledExecutorService scheduler) {
    this.cluster = cluster;
    this.store = store;
    this.faults = faults;
    this.scheduler = scheduler;
    this.pods = new WorkloadPods(store, scheduler);
    faults.onWorkloadFaultsChanged(() -> scheduler.execute(this::faultsChanged));
  }

  /** Called after a client's successful write; schedules the affected releases' reconciles. */
  void afterWrite(HttpMethod method, String path) {
    if (method == HttpMethod.GET) {
      return;
    }
    int query = path.indexOf('?');
    Matcher matcher = RELEASE_PATH.matcher(query < 0 ? path : path.substring(0, query));
    if (!matcher.matches()) {
      return;
    }
    Source source =
        matcher.group(2).equals("helmreleases") ? Source.HELM_RELEASE : Source.APPLICATION;
    String namespace = matcher.group(1);
    String name = matcher.group(3);
    scheduler.execute(
        () -> {
          if (name != null) {
            reconcile(source, namespace, name);
          } else {
            reconcileNamespace(source, namespace);
          }
        });
  }

  /** Reconciles every release of {@code source} in {@code namespace}, known or stored. */
  synchronized void reconcileNamespace(Source source, String namespace) {
    Set<String> names = new HashSet<>();
    store
        .list(source.path(namespace, "").replaceAll("/$", ""))
        .forEach(r -> names.add(r.path("metadata").path("name").asText()));
    known.values().stream()
        .filter(r -> r.source() == source && r.namespace().equals(namespace))
        .forEach(r -> names.add(r.name()));
    names.forEach(name -> reconcile(source, namespace, name));
  }

  /** Makes the release's workloads exist (or, if the release is gone, not exist). */
  synchronized void reconcile(Source source, String namespace, String name) {
    String path = source.path(namespace, name);
    Optional<ObjectNode> stored = store.read(path);
    if (stored.isEmpty()) {
      Release gone = known.remove(path);
      succeeded.remove(path);
      if (gone != null) {
        pods.forget(gone);
        uninstall(gone, Set.of());
        log.info("cluster {}: {} deleted, its workloads removed", cluster, gone.owner());
      }
      return;
    }
    Release release = Release.from(source, stored.get());
    Release previous = known.put(path, release);
    List<Workload> workloads = ChartCatalog.workloads(release.chart(), release.releaseName());
    for (Workload workload : workloads) {
      store.applyObject(
          WorkloadObjects.path(workload.kind(), release.targetNamespace(), workload.name()),
          WorkloadObjects.workload(release, workload));
      store.applyObject(
          WorkloadObjects.servicePath(release.targetNamespace(), workload.name()),
          WorkloadObjects.service(release, workload));
    }
    Set<String> desired = new HashSet<>();
    workloads.forEach(w -> desired.add(w.name()));
    if (previous != null && !previous.targetNamespace().equals(release.targetNamespace())) {
      uninstall(previous, Set.of());
    }
    if (previous != null && !sameWorkloads(previous, release)) {
      uninstall(release, desired); // the chart or release name changed: drop what is not desired
    }
    if (Long.valueOf(release.generation()).equals(succeeded.get(path))) {
      return;
    }
    writeStatus(release, ReleaseStatus.progressing(stored.get(), release));
    // one task per distinct delay, so that the release's status is computed once per group
    Map<Duration, List<Workload>> byDelay = new TreeMap<>();
    for (Workload workload : workloads) {
      byDelay
          .computeIfAbsent(faults.readinessDelay(workload.name()), d -> new ArrayList<>())
          .add(workload);
    }
    byDelay.forEach(
        (delay, group) ->
            scheduler.schedule(
                () -> rollOut(release, group), delay.toMillis(), TimeUnit.MILLISECONDS));
    log.debug(
        "cluster {}: {} ({} {}) reconciled into {} workloads",
        cluster,
        release.owner(),
        release.chart(),
        release.chartVersion(),
        workloads.size());
  }

  /** The rollout delay of these workloads has passed: report them ready, or failing. */
  private synchronized void rollOut(Release release, List<Workload> workloads) {
    Optional<ObjectNode> current = store.read(release.path());
    if (current.isEmpty()
        || Release.from(release.source(), current.get()).generation() != release.generation()) {
      return; // deleted or superseded; the newer reconcile scheduled its own rollout
    }
    workloads.forEach(workload -> rollOut(release, workload));
    updateReleaseStatus(release, current.get());
  }

  private void rollOut(Release release, Workload workload) {
    String path = WorkloadObjects.path(workload.kind(), release.targetNamespace(), workload.name());
    Optional<ObjectNode> stored = store.read(path);
    if (stored.isEmpty()) {
      return;
    }
    Optional<ClusterFaults.WorkloadFault> fault = faults.workloadFault(workload.name());
    boolean ready = fault.isEmpty() || fault.get().becomesReady();
    long generation = stored.get().path("metadata").path("generation").asLong(1);
    boolean shown =
        observed(stored.get()) && WorkloadObjects.isReady(workload.kind(), stored.get()) == ready;
    if (!shown) {
      ObjectNode updated = stored.get().deepCopy();
      updated.set(
          "status",
          WorkloadObjects.status(
              workload.kind(), workload.name(), workload.replicas(), generation, ready));
      store.replace(path, updated);
      pods.reflect(release, workload, fault);
    }
  }

  private static boolean sameWorkloads(Release a, Release b) {
    return a.chart().equals(b.chart())
        && a.releaseName().equals(b.releaseName())
        && a.targetNamespace().equals(b.targetNamespace());
  }

  /** Sets the release's status from its workloads: Ready once all are, failed if one cannot be. */
  private void updateReleaseStatus(Release release, ObjectNode releaseObject) {
    List<Workload> workloads = ChartCatalog.workloads(release.chart(), release.releaseName());
    Optional<String> failing = Optional.empty();
    boolean allReady = true;
    for (Workload workload : workloads) {
      Optional<ObjectNode> stored =
          store.read(
              WorkloadObjects.path(workload.kind(), release.targetNamespace(), workload.name()));
      boolean ready = stored.isPresent() && WorkloadObjects.isReady(workload.kind(), stored.get());
      allReady &= ready;
      Optional<ClusterFaults.WorkloadFault> fault = faults.workloadFault(workload.name());
      if (!ready
          && failing.isEmpty()
          && stored.isPresent()
          && fault.isPresent()
          && !fault.get().becomesReady()
          && observed(stored.get())) {
        failing =
            Optional.of(
                workload.kind().kind()
                    + "/"
                    + release.targetNamespace()
                    + "/"
                    + workload.name()
                    + " not ready: "
                    + fault.get().reason());
      }
    }
    String path = release.path();
    boolean done = Long.valueOf(release.generation()).equals(succeeded.get(path));
    if (done && release.source() == Source.HELM_RELEASE) {
      return; // helm-controller does not watch workloads after a successful release
    }
    if (allReady) {
      writeStatus(release, ReleaseStatus.succeeded(releaseObject, release));
      succeeded.put(path, release.generation());
    } else if (failing.isPresent()) {
      writeStatus(release, ReleaseStatus.failed(releaseObject, release, failing.get()));
    }
  }

  private static boolean observed(JsonNode workload) {
    return workload.path("status").path("observedGeneration").asLong(-1)
        == workload.path("metadata").path("generation").asLong(1);
  }

  /** A workload fault was injected or removed: every release's workloads show it again. */
  private synchronized void faultsChanged() {
    for (Release release : known.values()) {
      for (Workload workload : ChartCatalog.workloads(release.chart(), release.releaseName())) {
        String path =
            WorkloadObjects.path(workload.kind(), release.targetNamespace(), workload.name());
        Optional<ObjectNode> stored = store.read(path);
        Optional<ClusterFaults.WorkloadFault> fault = faults.workloadFault(workload.name());
        if (stored.isPresent() && observed(stored.get())) {
          // already rolled out: show the change now (a fault appearing, a crash loop healing)
          ObjectNode updated = stored.get().deepCopy();
          boolean ready = fault.isEmpty() || fault.get().becomesReady();
          updated.set(
              "status",
              WorkloadObjects.status(
                  workload.kind(),
                  workload.name(),
                  workload.replicas(),
                  stored.get().path("metadata").path("generation").asLong(1),
                  ready));
          store.replace(path, updated);
          pods.reflect(release, workload, fault);
        }
      }
      store.read(release.path()).ifPresent(object -> updateReleaseStatus(release, object));
    }
  }

  void stop() {
    pods.stop();
  }

  private void writeStatus(Release release, JsonNode status) {
    Optional<ObjectNode> current = store.read(release.path());
    if (current.isEmpty() || sameIgnoringTimes(status, current.get().path("status"))) {
      return;
    }
    ObjectNode updated = current.get().deepCopy();
    updated.set("status", status);
    // HelmRelease declares the status subresource, Argo CD's Application does not
    String path =
        release.source() == Source.HELM_RELEASE ? release.path() + "/status" : release.path();
    store.replace(path, updated);
  }

  private static boolean sameIgnoringTimes(JsonNode a, JsonNode b) {
    return withoutTimes(a).equals(withoutTimes(b));
  }

  private static JsonNode withoutTimes(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(List.of("lastTransitionTime", "reconciledAt", "firstDeployed", "lastDeployed"));
      object.forEach(ReleaseController::strip);
    } else if (node.isArray()) {
      node.forEach(ReleaseController::strip);
    }
  }

  /** Deletes the release's objects whose workload name is not in {@code keep}. */
  private void uninstall(Release release, Set<String> keep) {
    String namespace = release.targetNamespace();
    for (Kind kind : Kind.values()) {
      deleteOwned(release, "/apis/apps/v1/namespaces/" + namespace + "/" + kind.plural(), keep);
    }
    deleteOwned(release, "/api/v1/namespaces/" + namespace + "/services", keep);
    if (keep.isEmpty()) {
      deleteOwned(release, "/api/v1/namespaces/" + namespace + "/pods", keep);
      deleteOwned(release, "/api/v1/namespaces/" + namespace + "/persistentvolumeclaims", keep);
      deleteOwned(release, "/api/v1/namespaces/" + namespace + "/events", keep);
    }
  }

  private void deleteOwned(Release release, String collection, Set<String> keep) {
    for (ObjectNode object : store.list(collection)) {
      JsonNode metadata = object.path("metadata");
      String name = metadata.path("name").asText();
      if (release
              .owner()
              .equals(metadata.path("annotations").path(Release.OWNER_ANNOTATION).asText())
          && !keep.contains(name)) {
        store.remove(collection + "/" + name);
      }
    }
  }
}
