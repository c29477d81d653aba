package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stackpilot.events.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of one live object by its kind, with the semantics of kstatus
 * (sigs.k8s.io/cli-utils/pkg/kstatus): Current is HEALTHY, InProgress is PROGRESSING, Failed is
 * DEGRADED. A pure function of the object as read (or as an informer holds it).
 *
 * <p>Where kstatus calls a Pod merely InProgress (ImagePullBackOff, a container OOMKilled and
 * restarting), this says DEGRADED, as Argo CD does: those do not heal without a change. Whether a
 * non-healthy object is final is not decided here but by the step's deadline ({@link HealthWatch}).
 */
final class KindStatus {

  /** The health of one object and why, in words an operator reads. */
  record Status(HealthStatus health, String message) {
    static Status current(String message) {
      return new Status(HealthStatus.HEALTHY, message);
    }

    static Status inProgress(String message) {
      return new Status(HealthStatus.PROGRESSING, message);
    }

    static Status failed(String message) {
      return new Status(HealthStatus.DEGRADED, message);
    }
  }

  private KindStatus() {}

  /** The status of {@code object} by its kind; kinds without rules are Current when present. */
  static Status of(GenericKubernetesResource object) {
    Status generic = generic(object);
    if (generic != null) {
      return generic;
    }
    return switch (object.getKind()) {
      case "Deployment" -> deployment(object);
      case "StatefulSet" -> statefulSet(object);
      case "DaemonSet" -> daemonSet(object);
      case "Pod" -> pod(object);
      case "PersistentVolumeClaim" -> claim(object);
      case "HelmRelease" -> helmRelease(object);
      case "Application" -> application(object);
      default -> Status.current("present");
    };
  }

  /**
   * kstatus' rules for every kind: being deleted is InProgress; a controller that has not observed
   * the object's current generation has not acted on it yet (InProgress); Stalled True is Failed
   * and Reconciling True InProgress.
   */
  private static Status generic(GenericKubernetesResource object) {
    if (object.getMetadata().getDeletionTimestamp() != null) {
      return Status.inProgress("being deleted");
    }
    Long generation = object.getMetadata().getGeneration();
    Long observed = number(object, "status", "observedGeneration");
    if (generation != null && observed != null && observed < generation) {
      return Status.inProgress(
          "generation " + generation + " not observed yet (observed " + observed + ")");
    }
    Map<String, Object> stalled = condition(object, "Stalled");
    if (stalled != null && "True".equals(stalled.get("status"))) {
      return Status.failed("Stalled" + because(stalled));
    }
    Map<String, Object> reconciling = condition(object, "Reconciling");
    if (reconciling != null && "True".equals(reconciling.get("status"))) {
      return Status.inProgress("Reconciling" + because(reconciling));
    }
    return null;
  }

  /** kstatus deploymentConditions: replicas, updated, available, ready, then the conditions. */
  static Status deployment(GenericKubernetesResource d) {
    if (missingObservedGeneration(d)) {
      return Status.inProgress("not observed by its controller yet");
    }
    Map<String, Object> progressing = condition(d, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.get("reason"))) {
      return Status.failed("progress deadline exceeded" + because(progressing));
    }
    long spec = count(d, 1, "spec", "replicas");
    long replicas = count(d, 0, "status", "replicas");
    long updated = count(d, 0, "status", "updatedReplicas");
    long ready = count(d, 0, "status", "readyReplicas");
    long available = count(d, 0, "status", "availableReplicas");
    if (spec > replicas) {
      return Status.inProgress(replicas + "/" + spec + " replicas");
    }
    if (spec > updated) {
      return Status.inProgress(updated + "/" + spec + " updated");
    }
    if (replicas > spec) {
      return Status.inProgress((replicas - spec) + " old replicas pending termination");
    }
    if (updated > available) {
      return Status.inProgress(available + "/" + updated + " available");
    }
    if (spec > ready) {
      return Status.inProgress(ready + "/" + spec + " ready");
    }
    Map<String, Object> availableCondition = condition(d, "Available");
    if (availableCondition != null && !"True".equals(availableCondition.get("status"))) {
      return Status.inProgress("not Available" + because(availableCondition));
    }
    return Status.current(ready + "/" + spec + " ready");
  }

  /** kstatus stsConditions: replicas, ready, partition, current, then the revisions. */
  static Status statefulSet(GenericKubernetesResource s) {
    if (missingObservedGeneration(s)) {
      return Status.inProgress("not observed by its controller yet");
    }
    if ("OnDelete".equals(s.get("spec", "updateStrategy", "type"))) {
      return Status.current("OnDelete update strategy: managed by hand");
    }
    long spec = count(s, 1, "spec", "replicas");
    long replicas = count(s, 0, "status", "replicas");
    long ready = count(s, 0, "status", "readyReplicas");
    long current = count(s, 0, "status", "currentReplicas");
    long updated = count(s, 0, "status", "updatedReplicas");
    Long partition = number(s, "spec", "updateStrategy", "rollingUpdate", "partition");
    if (spec > replicas) {
      return Status.inProgress(replicas + "/" + spec + " replicas");
    }
    if (spec > ready) {
      return Status.inProgress(ready + "/" + spec + " ready");
    }
    if (replicas > spec) {
      return Status.inProgress((replicas - spec) + " replicas pending termination");
    }
    if (partition != null) {
      return updated < spec - partition
          ? Status.inProgress(updated + "/" + (spec - partition) + " updated (partition)")
          : Status.current(ready + "/" + spec + " ready, partition rolled out");
    }
    if (spec > current) {
      return Status.inProgress(current + "/" + spec + " current");
    }
    if (!Objects.equals(s.get("status", "currentRevision"), s.get("status", "updateRevision"))) {
      return Status.inProgress("rolling update to " + s.get("status", "updateRevision"));
    }
    return Status.current(ready + "/" + spec + " ready");
  }

  /** kstatus daemonsetConditions: desired vs current, updated, available, ready scheduled. */
  static Status daemonSet(GenericKubernetesResource d) {
    if (missingObservedGeneration(d)) {
      return Status.inProgress("not observed by its controller yet");
    }
    Long desired = number(d, "status", "desiredNumberScheduled");
    if (desired == null) {
      return Status.inProgress("no desiredNumberScheduled yet");
    }
    long current = count(d, 0, "status", "currentNumberScheduled");
    long updated = count(d, 0, "status", "updatedNumberScheduled");
    long available = count(d, 0, "status", "numberAvailable");
    long ready = count(d, 0, "status", "numberReady");
    if (desired > current) {
      return Status.inProgress(current + "/" + desired + " scheduled");
    }
    if (desired > updated) {
      return Status.inProgress(updated + "/" + desired + " updated");
    }
    if (desired > available) {
      return Status.inProgress(available + "/" + desired + " available");
    }
    if (desired > ready) {
      return Status.inProgress(ready + "/" + desired + " ready");
    }
    return Status.current(ready + "/" + desired + " ready");
  }

  /**
   * A Pod: Ready or completed is Current; a container waiting in CrashLoopBackOff, ImagePullBackOff
   * or ErrImagePull, or last terminated OOMKilled, is Failed, with its restart count; Pending and
   * unschedulable says why.
   */
  static Status pod(GenericKubernetesResource p) {
    String phase = string(p, "status", "phase");
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Status.current("completed (" + phase + ")");
    }
    Map<String, Object> ready = condition(p, "Ready");
    if ("Running".equals(phase) && ready != null && "True".equals(ready.get("status"))) {
      return Status.current("Ready");
    }
    for (Map<String, Object> container : containers(p)) {
      long restarts = container.get("restartCount") instanceof Number n ? n.longValue() : 0;
      String waiting = string(container, "state", "waiting", "reason");
      String lastTerminated = string(container, "lastState", "terminated", "reason");
      String restartsText = " (restarts " + restarts + ")";
      if ("OOMKilled".equals(lastTerminated)) {
        return Status.failed("OOMKilled" + restartsText);
      }
      if ("CrashLoopBackOff".equals(waiting)) {
        String message = string(container, "lastState", "terminated", "message");
        return Status.failed(
            "CrashLoopBackOff"
                + restartsText
                + (message == null || message.isBlank() ? "" : ": " + message));
      }
      if ("ImagePullBackOff".equals(waiting) || "ErrImagePull".equals(waiting)) {
        return Status.failed(waiting + " " + container.get("image"));
      }
    }
    Map<String, Object> scheduled = condition(p, "PodScheduled");
    if (scheduled != null && "False".equals(scheduled.get("status"))) {
      return Status.inProgress("not scheduled" + because(scheduled));
    }
    return Status.inProgress(phase == null ? "no phase yet" : phase + ", not Ready");
  }

  /** kstatus pvcConditions: Bound is Current, anything else InProgress. */
  static Status claim(GenericKubernetesResource c) {
    String phase = string(c, "status", "phase");
    if ("Bound".equals(phase)) {
      return Status.current("Bound");
    }
    Map<String, Object> pending = condition(c, "Pending");
    return Status.inProgress((phase == null ? "not Bound" : phase) + because(pending));
  }

  /**
   * A Flux HelmRelease: Ready True for its current generation (observedGeneration) is Current;
   * Ready False is Failed with its reason; otherwise (Unknown, or no status yet) InProgress.
   */
  static Status helmRelease(GenericKubernetesResource r) {
    Long generation = r.getMetadata().getGeneration();
    Long observed = number(r, "status", "observedGeneration");
    Map<String, Object> ready = condition(r, "Ready");
    if (ready == null) {
      return Status.inProgress("no Ready condition yet");
    }
    if ("False".equals(ready.get("status"))) {
      return Status.failed("Ready False" + because(ready));
    }
    if (!"True".equals(ready.get("status"))) {
      return Status.inProgress("Ready " + ready.get("status") + because(ready));
    }
    if (generation != null && (observed == null || observed < generation)) {
      return Status.inProgress("Ready, but for an older generation than " + generation);
    }
    return Status.current("Ready" + because(ready));
  }

  /** An Argo CD Application: health Healthy and sync Synced is Current. */
  static Status application(GenericKubernetesResource a) {
    String health = string(a, "status", "health", "status");
    String sync = string(a, "status", "sync", "status");
    String message = string(a, "status", "health", "message");
    String detail = message == null || message.isBlank() ? "" : " (" + message + ")";
    if (health == null) {
      return Status.inProgress("no health status yet");
    }
    return switch (health) {
      case "Healthy" ->
          "Synced".equals(sync)
              ? Status.current("Healthy, Synced")
              : Status.inProgress("Healthy, sync " + sync);
      case "Degraded", "Missing" -> Status.failed(health + detail);
      default -> Status.inProgress(health + detail + ", sync " + sync);
    };
  }

  // --- reading unstructured objects ---

  private static boolean missingObservedGeneration(GenericKubernetesResource o) {
    return o.getMetadata().getGeneration() != null
        && number(o, "status", "observedGeneration") == null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> containers(GenericKubernetesResource p) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (String field : List.of("initContainerStatuses", "containerStatuses")) {
      if (p.get("status", field) instanceof List<?> list) {
        list.stream().filter(Map.class::isInstance).forEach(c -> all.add((Map<String, Object>) c));
      }
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> condition(GenericKubernetesResource o, String type) {
    if (o.get("status", "conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> map && type.equals(map.get("type"))) {
          return (Map<String, Object>) map;
        }
      }
    }
    return null;
  }

  private static String because(Map<String, Object> condition) {
    if (condition == null) {
      return "";
    }
    Object reason = condition.get("reason");
    Object message = condition.get("message");
    StringBuilder text = new StringBuilder();
    if (reason != null) {
      text.append(reason);
    }
    if (message != null && !message.toString().isBlank()) {
      text.append(text.length() > 0 ? ": " : "").append(message);
    }
    return text.length() == 0 ? "" : " (" + text + ")";
  }

  private static Long number(GenericKubernetesResource o, Object... path) {
    return o.get(path) instanceof Number n ? n.longValue() : null;
  }

  private static long count(GenericKubernetesResource o, long absent, Object... path) {
    Long value = number(o, path);
    return value == null ? absent : value;
  }

  private static String string(GenericKubernetesResource o, Object... path) {
    return o.get(path) instanceof String s ? s : null;
  }

  private static String string(Map<String, Object> map, Object... path) {
    return GenericKubernetesResource.get(map, path) instanceof String s ? s : null;
  }
}
