package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.stackpilot.fleet.simulator.ChartCatalog.Kind;
import io.stackpilot.fleet.simulator.ChartCatalog.Workload;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objects a Helm install of a catalog workload leaves in a cluster, and the status the real
 * Deployment/StatefulSet/DaemonSet controllers would report for them: pure builders.
 */
final class WorkloadObjects {

  static final String INSTANCE = "app.kubernetes.io/instance";
  static final String NAME = "app.kubernetes.io/name";
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  // nodes of every simulated cluster: what a DaemonSet schedules onto
  static final int NODES = 3;

  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private WorkloadObjects() {}

  /** The API path of a workload of {@code kind} in {@code namespace}, or its collection. */
  static String path(Kind kind, String namespace, String name) {
    return "/apis/apps/v1/namespaces/" + namespace + "/" + kind.plural() + "/" + name;
  }

  static String servicePath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/services/" + name;
  }

  static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + name;
  }

  static String claimPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/persistentvolumeclaims/" + name;
  }

  /** Labels on every object of the release's workload, as Helm charts set them. */
  static Map<String, String> labels(Release release, Workload workload) {
    Map<String, String> labels = selector(release, workload);
    labels.put(MANAGED_BY, "Helm");
    labels.put("helm.sh/chart", release.chart() + "-" + release.chartVersion());
    return labels;
  }

  /** The labels a workload selects its Pods by. */
  static Map<String, String> selector(Release release, Workload workload) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, workload.appName());
    labels.put(INSTANCE, release.releaseName());
    if (!workload.component().isEmpty()) {
      labels.put(COMPONENT, workload.component());
    }
    return labels;
  }

  static ObjectMeta metadata(Release release, Workload workload, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(release.targetNamespace())
        .withLabels(labels(release, workload))
        .addToAnnotations(Release.OWNER_ANNOTATION, release.owner())
        .addToAnnotations("meta.helm.sh/release-name", release.releaseName())
        .addToAnnotations("meta.helm.sh/release-namespace", release.targetNamespace())
        .build();
  }

  /** The Deployment, StatefulSet or DaemonSet the chart renders, without status. */
  static ObjectNode workload(Release release, Workload workload) {
    ObjectMeta metadata = metadata(release, workload, workload.name());
    PodTemplateSpec template = podTemplate(release, workload);
    Map<String, String> selector = selector(release, workload);
    Object object =
        switch (workload.kind()) {
          case DEPLOYMENT ->
              new DeploymentBuilder()
                  .withMetadata(metadata)
                  .withNewSpec()
                  .withReplicas(workload.replicas())
                  .withNewSelector()
                  .withMatchLabels(selector)
                  .endSelector()
                  .withTemplate(template)
                  .endSpec()
                  .build();
          case STATEFUL_SET ->
              new StatefulSetBuilder()
                  .withMetadata(metadata)
                  .withNewSpec()
                  .withReplicas(workload.replicas())
                  .withServiceName(workload.name())
                  .withNewSelector()
                  .withMatchLabels(selector)
                  .endSelector()
                  .withTemplate(template)
                  .withVolumeClaimTemplates(
                      workload.volumeClaimTemplate().stream()
                          .map(
                              claim ->
                                  new PersistentVolumeClaimBuilder()
                                      .withNewMetadata()
                                      .withName(claim)
                                      .endMetadata()
                                      .withNewSpec()
                                      .withAccessModes("ReadWriteOnce")
                                      .withNewResources()
                                      .addToRequests("storage", new Quantity("10Gi"))
                                      .endResources()
                                      .endSpec()
                                      .build())
                          .toList())
                  .endSpec()
                  .build();
          case DAEMON_SET ->
              new DaemonSetBuilder()
                  .withMetadata(metadata)
                  .withNewSpec()
                  .withNewSelector()
                  .withMatchLabels(selector)
                  .endSelector()
                  .withTemplate(template)
                  .endSpec()
                  .build();
        };
    return JSON.valueToTree(object);
  }

  /** The Service the chart puts in front of the workload, same name, selecting its Pods. */
  static ObjectNode service(Release release, Workload workload) {
    return JSON.valueToTree(
        new ServiceBuilder()
            .withMetadata(metadata(release, workload, workload.name()))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(selector(release, workload))
            .addNewPort()
            .withName("http")
            .withPort(workload.port())
            .withTargetPort(new IntOrString("http"))
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .build());
  }

  static String containerName(Workload workload) {
    return workload.component().isEmpty() ? workload.appName() : workload.component();
  }

  static String image(Release release, Workload workload) {
    return "registry.simulated.invalid/" + workload.appName() + ":" + release.chartVersion();
  }

  private static PodTemplateSpec podTemplate(Release release, Workload workload) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels(release, workload))
        .endMetadata()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName(containerName(workload))
                .withImage(image(release, workload))
                .addNewPort()
                .withName("http")
                .withContainerPort(workload.port())
                .endPort()
                .build())
        .endSpec()
        .build();
  }

  /**
   * The status the workload's controller reports once it has seen {@code generation}: every replica
   * ready, or (when {@code ready} is false) every replica scheduled but none ready.
   */
  static JsonNode status(Kind kind, String name, int replicas, long generation, boolean ready) {
    int readyCount = ready ? replicas : 0;
    String now = Timestamps.now();
    Object status =
        switch (kind) {
          case DEPLOYMENT ->
              new DeploymentStatusBuilder()
                  .withObservedGeneration(generation)
                  .withReplicas(replicas)
                  .withUpdatedReplicas(replicas)
                  .withReadyReplicas(ready ? readyCount : null)
                  .withAvailableReplicas(ready ? readyCount : null)
                  .withUnavailableReplicas(ready ? null : replicas)
                  .withConditions(
                      new DeploymentConditionBuilder()
                          .withType("Available")
                          .withStatus(ready ? "True" : "False")
                          .withReason(
                              ready ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                          .withMessage(
                              ready
                                  ? "Deployment has minimum availability."
                                  : "Deployment does not have minimum availability.")
                          .withLastTransitionTime(now)
                          .withLastUpdateTime(now)
                          .build(),
                      new DeploymentConditionBuilder()
                          .withType("Progressing")
                          .withStatus("True")
                          .withReason(ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
                          .withMessage(
                              "ReplicaSet \""
                                  + name
                                  + "-"
                                  + revisionHash(name, generation)
                                  + (ready
                                      ? "\" has successfully progressed."
                                      : "\" is progressing."))
                          .withLastTransitionTime(now)
                          .withLastUpdateTime(now)
                          .build())
                  .build();
          case STATEFUL_SET ->
              new StatefulSetStatusBuilder()
                  .withObservedGeneration(generation)
                  .withReplicas(replicas)
                  .withReadyReplicas(readyCount)
                  .withAvailableReplicas(readyCount)
                  .withCurrentReplicas(replicas)
                  .withUpdatedReplicas(replicas)
                  .withCurrentRevision(name + "-" + revisionHash(name, generation))
                  .withUpdateRevision(name + "-" + revisionHash(name, generation))
                  .withCollisionCount(0)
                  .build();
          case DAEMON_SET ->
              new DaemonSetStatusBuilder()
                  .withObservedGeneration(generation)
                  .withDesiredNumberScheduled(NODES)
                  .withCurrentNumberScheduled(NODES)
                  .withUpdatedNumberScheduled(NODES)
                  .withNumberMisscheduled(0)
                  .withNumberReady(ready ? NODES : 0)
                  .withNumberAvailable(ready ? NODES : null)
                  .withNumberUnavailable(ready ? null : NODES)
                  .build();
        };
    return JSON.valueToTree(status);
  }

  /** Whether a stored workload reports every replica ready for its current generation. */
  static boolean isReady(Kind kind, JsonNode stored) {
    JsonNode status = stored.path("status");
    long generation = stored.path("metadata").path("generation").asLong(1);
    if (status.path("observedGeneration").asLong(-1) != generation) {
      return false;
    }
    return switch (kind) {
      case DEPLOYMENT, STATEFUL_SET ->
          status.path("readyReplicas").asInt(0) == stored.path("spec").path("replicas").asInt(1);
      case DAEMON_SET ->
          status.path("numberReady").asInt(0) == status.path("desiredNumberScheduled").asInt(-1);
    };
  }

  /** A stable pod-template-hash-like suffix for a workload's generation. */
  static String revisionHash(String name, long generation) {
    String hash = Integer.toHexString((name + "/" + generation).hashCode() & 0x7fffffff);
    return ("0000000000" + hash).substring(hash.length()).substring(0, 10);
  }

  static ObjectNode toTree(Object object) {
    return JSON.valueToTree(object);
  }
}
