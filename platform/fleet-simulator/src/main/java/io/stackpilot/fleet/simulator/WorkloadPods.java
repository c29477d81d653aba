package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.stackpilot.fleet.simulator.ChartCatalog.Kind;
import io.stackpilot.fleet.simulator.ChartCatalog.Workload;
import io.stackpilot.fleet.simulator.ClusterFaults.CrashLoop;
import io.stackpilot.fleet.simulator.ClusterFaults.ImagePullBackOff;
import io.stackpilot.fleet.simulator.ClusterFaults.OomKilled;
import io.stackpilot.fleet.simulator.ClusterFaults.PvcPending;
import io.stackpilot.fleet.simulator.ClusterFaults.WorkloadFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Pods (and PersistentVolumeClaims, and Events) of a faulty workload, as a real cluster shows
 * them: created only while a workload has a fault that Pods make visible, with a restartCount that
 * grows while a container crash-loops.
 */
final class WorkloadPods {

  static final String WORKLOAD_LABEL = "stackpilot.io/simulated-workload";

  private final ServerSideApplyDispatcher store;
  private final ScheduledExecutorService scheduler;
  // restart tickers per namespace/workload
  private final Map<String, ScheduledFuture<?>> restarts = new ConcurrentHashMap<>();
  // namespace/workload keys whose Pods (or claims) this class created: nothing to list otherwise
  private final Set<String> withPods = ConcurrentHashMap.newKeySet();

  WorkloadPods(ServerSideApplyDispatcher store, ScheduledExecutorService scheduler) {
    this.store = store;
    this.scheduler = scheduler;
  }

  /** Makes the workload's Pods show {@code fault}, or removes them when there is none to show. */
  void reflect(Release release, Workload workload, Optional<WorkloadFault> fault) {
    String key = release.targetNamespace() + "/" + workload.name();
    ScheduledFuture<?> ticker = restarts.remove(key);
    if (ticker != null) {
      ticker.cancel(false);
    }
    List<String> names = podNames(workload);
    if (fault.isEmpty() || fault.get().becomesReady()) {
      if (withPods.remove(key)) {
        removePods(release, workload);
      }
      return;
    }
    withPods.add(key);
    for (int i = 0; i < names.size(); i++) {
      store.applyObject(
          WorkloadObjects.podPath(release.targetNamespace(), names.get(i)),
          pod(release, workload, names.get(i), i, fault.get(), 0));
    }
    if (fault.get() instanceof PvcPending pending) {
      claimsPending(release, workload, pending);
    }
    Duration every = Duration.ZERO;
    if (fault.get() instanceof CrashLoop crash) {
      every = crash.restartEvery();
    } else if (fault.get() instanceof OomKilled oom) {
      every = oom.restartEvery();
    }
    if (!every.isZero()) {
      long millis = every.toMillis();
      restarts.put(
          key,
          scheduler.scheduleWithFixedDelay(
              () -> restart(release, workload, names), millis, millis, TimeUnit.MILLISECONDS));
    }
  }

  /** Stops every restart ticker of the release (it was deleted). */
  void forget(Release release) {
    for (Workload workload : ChartCatalog.workloads(release.chart(), release.releaseName())) {
      withPods.remove(release.targetNamespace() + "/" + workload.name());
      ScheduledFuture<?> ticker =
          restarts.remove(release.targetNamespace() + "/" + workload.name());
      if (ticker != null) {
        ticker.cancel(false);
      }
    }
  }

  void stop() {
    restarts.values().forEach(ticker -> ticker.cancel(false));
    restarts.clear();
  }

  private void restart(Release release, Workload workload, List<String> names) {
    for (String name : names) {
      String path = WorkloadObjects.podPath(release.targetNamespace(), name);
      store
          .read(path)
          .ifPresent(
              pod -> {
                JsonNode status = pod.path("status").path("containerStatuses").path(0);
                int restarts = status.path("restartCount").asInt(0) + 1;
                ObjectNode patch = WorkloadObjects.toTree(Map.of());
                ObjectNode containerStatus = status.deepCopy();
                containerStatus.put("restartCount", restarts);
                containerStatus
                    .with("lastState")
                    .with("terminated")
                    .put("finishedAt", Timestamps.now());
                patch.putObject("status").putArray("containerStatuses").add(containerStatus);
                store.applyObject(path, patch);
              });
    }
  }

  private void removePods(Release release, Workload workload) {
    for (String kind : List.of("pods", "persistentvolumeclaims")) {
      String collection = "/api/v1/namespaces/" + release.targetNamespace() + "/" + kind;
      for (ObjectNode object : store.list(collection)) {
        JsonNode labels = object.path("metadata").path("labels");
        if (workload.name().equals(labels.path(WORKLOAD_LABEL).asText())) {
          store.remove(collection + "/" + object.path("metadata").path("name").asText());
        }
      }
    }
  }

  static List<String> podNames(Workload workload) {
    List<String> names = new ArrayList<>();
    String hash = WorkloadObjects.revisionHash(workload.name(), 1);
    int count = workload.kind() == Kind.DAEMON_SET ? WorkloadObjects.NODES : workload.replicas();
    for (int i = 0; i < count; i++) {
      names.add(
          switch (workload.kind()) {
            case STATEFUL_SET -> workload.name() + "-" + i;
            case DEPLOYMENT -> workload.name() + "-" + hash + "-" + suffix(workload.name(), i);
            case DAEMON_SET -> workload.name() + "-" + suffix(workload.name(), i);
          });
    }
    return names;
  }

  // five characters from Kubernetes' random-suffix alphabet, stable per workload and ordinal
  private static String suffix(String name, int ordinal) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    int seed = (name + "#" + ordinal).hashCode() & 0x7fffffff;
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(seed % alphabet.length()));
      seed = seed / alphabet.length() + 7919 * (i + 1);
    }
    return suffix.toString();
  }

  private ObjectNode pod(
      Release release,
      Workload workload,
      String name,
      int ordinal,
      WorkloadFault fault,
      int restarts) {
    ObjectMeta metadata = WorkloadObjects.metadata(release, workload, name);
    metadata.getLabels().put(WORKLOAD_LABEL, workload.name());
    String container = WorkloadObjects.containerName(workload);
    String image = WorkloadObjects.image(release, workload);
    String now = Timestamps.now();
    boolean pending = fault instanceof PvcPending || fault instanceof ImagePullBackOff;
    PodBuilder pod =
        new PodBuilder()
            .withMetadata(metadata)
            .withNewSpec()
            .addNewContainer()
            .withName(container)
            .withImage(image)
            .endContainer()
            .withNodeName(
                fault instanceof PvcPending ? null : "node-" + (ordinal % WorkloadObjects.NODES))
            .endSpec()
            .withNewStatus()
            .withPhase(pending ? "Pending" : "Running")
            .endStatus();
    if (fault instanceof PvcPending) {
      pod.editStatus()
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("False")
          .withReason("Unschedulable")
          .withMessage(
              "0/"
                  + WorkloadObjects.NODES
                  + " nodes are available: pod has unbound immediate PersistentVolumeClaims.")
          .withLastTransitionTime(now)
          .endCondition()
          .endStatus();
    } else {
      pod.editStatus()
          .addNewCondition()
          .withType("Ready")
          .withStatus("False")
          .withReason("ContainersNotReady")
          .withMessage("containers with unready status: [" + container + "]")
          .withLastTransitionTime(now)
          .endCondition()
          .withContainerStatuses(containerStatus(container, image, name, fault, restarts, now))
          .endStatus();
    }
    Pod built = pod.build();
    return WorkloadObjects.toTree(built);
  }

  private static ContainerStatus containerStatus(
      String container, String image, String pod, WorkloadFault fault, int restarts, String now) {
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(container)
            .withImage(image)
            .withReady(false)
            .withStarted(false)
            .withRestartCount(restarts);
    if (fault instanceof CrashLoop crash) {
      status
          .withNewState()
          .withNewWaiting()
          .withReason("CrashLoopBackOff")
          .withMessage(
              "back-off 10s restarting failed container=" + container + " pod=" + pod + "_")
          .endWaiting()
          .endState()
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(1)
          .withReason("Error")
          .withMessage(crash.message())
          .withStartedAt(now)
          .withFinishedAt(now)
          .endTerminated()
          .endLastState();
    } else if (fault instanceof OomKilled) {
      status
          .withNewState()
          .withNewWaiting()
          .withReason("CrashLoopBackOff")
          .withMessage(
              "back-off 10s restarting failed container=" + container + " pod=" + pod + "_")
          .endWaiting()
          .endState()
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(137)
          .withReason("OOMKilled")
          .withStartedAt(now)
          .withFinishedAt(now)
          .endTerminated()
          .endLastState();
    } else {
      status
          .withNewState()
          .withNewWaiting()
          .withReason("ImagePullBackOff")
          .withMessage("Back-off pulling image \"" + image + "\"")
          .endWaiting()
          .endState();
    }
    return status.build();
  }

  private void claimsPending(Release release, Workload workload, PvcPending pending) {
    if (workload.volumeClaimTemplate().isEmpty()) {
      return;
    }
    String namespace = release.targetNamespace();
    List<String> pods = podNames(workload);
    for (String pod : pods) {
      String claim = workload.volumeClaimTemplate().get() + "-" + pod;
      ObjectMeta metadata = WorkloadObjects.metadata(release, workload, claim);
      metadata.getLabels().put(WORKLOAD_LABEL, workload.name());
      store.applyObject(
          WorkloadObjects.claimPath(namespace, claim),
          WorkloadObjects.toTree(
              new PersistentVolumeClaimBuilder()
                  .withMetadata(metadata)
                  .withNewSpec()
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .addToRequests("storage", new Quantity("10Gi"))
                  .endResources()
                  .endSpec()
                  .withNewStatus()
                  .withPhase("Pending")
                  .addNewCondition()
                  .withType("Pending")
                  .withStatus("True")
                  .withReason("FailedBinding")
                  .withMessage(pending.message())
                  .withLastTransitionTime(Timestamps.now())
                  .endCondition()
                  .endStatus()
                  .build()));
      store.applyObject(
          "/api/v1/namespaces/" + namespace + "/events/" + claim + ".failedbinding",
          WorkloadObjects.toTree(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(claim + ".failedbinding")
                  .withNamespace(namespace)
                  .addToAnnotations(Release.OWNER_ANNOTATION, release.owner())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("PersistentVolumeClaim")
                  .withNamespace(namespace)
                  .withName(claim)
                  .withApiVersion("v1")
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason("FailedBinding")
                  .withMessage(pending.message())
                  .withCount(1)
                  .withFirstTimestamp(Timestamps.now())
                  .withLastTimestamp(Timestamps.now())
                  .withNewSource()
                  .withComponent("persistentvolume-controller")
                  .endSource()
                  .build()));
    }
  }
}
