package io.stackpilot.verifier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Live objects for the pure health tests, written as YAML the way a cluster returns them. */
final class KubeObjects {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private KubeObjects() {}

  static GenericKubernetesResource parse(String yaml) {
    return YAML.unmarshal(yaml, GenericKubernetesResource.class);
  }

  static GenericKubernetesResource statefulSet(
      String name, long generation, long observed, int replicas, int ready) {
    return parse(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: %1$s, namespace: mimir, generation: %2$d,
                   labels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: %1$s}}
        spec:
          replicas: %4$d
          selector: {matchLabels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: %1$s}}
        status: {observedGeneration: %3$d, replicas: %4$d, readyReplicas: %5$d, availableReplicas: %5$d,
                 currentReplicas: %4$d, updatedReplicas: %4$d, currentRevision: %1$s-1, updateRevision: %1$s-1}
        """
            .formatted(name, generation, observed, replicas, ready));
  }

  static GenericKubernetesResource deployment(
      String name, long generation, long observed, int replicas, int ready, int updated) {
    return parse(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: mimir, generation: %2$d,
                   labels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: %1$s}}
        spec:
          replicas: %4$d
          selector: {matchLabels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: %1$s}}
        status:
          observedGeneration: %3$d
          replicas: %4$d
          updatedReplicas: %6$d
          readyReplicas: %5$d
          availableReplicas: %5$d
          conditions:
          - {type: Available, status: "%7$s", reason: MinimumReplicasAvailable}
          - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
        """
            .formatted(
                name,
                generation,
                observed,
                replicas,
                ready,
                updated,
                ready == replicas ? "True" : "False"));
  }

  /** A Pod of {@code component} whose one container waits for {@code waiting}. */
  static GenericKubernetesResource crashingPod(
      String name, String component, String waiting, String lastReason, int restarts) {
    return parse(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %1$s, namespace: mimir,
                   labels: {app.kubernetes.io/instance: mimir, app.kubernetes.io/component: %2$s}}
        status:
          phase: Running
          conditions: [{type: Ready, status: "False", reason: ContainersNotReady}]
          containerStatuses:
          - name: %2$s
            image: grafana/mimir:3.0.0
            ready: false
            restartCount: %5$d
            state: {waiting: {reason: %3$s}}
            lastState: {terminated: {reason: %4$s, exitCode: 1, message: "boom"}}
        """
            .formatted(name, component, waiting, lastReason, restarts));
  }
}
