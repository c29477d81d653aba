package io.stackpilot.applier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.applier.render.StepRenderer.RenderedKind;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepRequested;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Deletes one component's objects from a cluster: every object of a kind the renderer makes, where
 * the renderer puts that kind (the step's namespace, a fixed one such as argocd for Argo CD
 * Applications, or cluster-wide), that carries Stackpilot's ownership labels for the component and
 * belongs to the step's stack (or names no stack: written before objects named theirs). Found by
 * label, not by name, so objects an earlier revision rendered are found too; an object that is
 * already gone counts as deleted.
 */
class ComponentPruner {

  /**
   * Deletes the component's objects, kinds in the reverse of apply order, and adds each deleted
   * object, with the resourceVersion it had when listed, to {@code deleted} as it goes, so a
   * failure part-way still says what was removed.
   */
  void prune(KubernetesClient client, StepRequested step, List<ResourceRef> deleted) {
    Map<String, String> selector = Ownership.componentSelector(step.getComponent());
    List<RenderedKind> kinds = new ArrayList<>(StepRenderer.KINDS);
    Collections.reverse(kinds);
    for (RenderedKind kind : kinds) {
      var all = client.genericKubernetesResources(kind.apiVersion(), kind.kind());
      NonNamespaceOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          scope = kind.namespaced() ? all.inNamespace(kind.namespaceFor(step.getNamespace())) : all;
      for (GenericKubernetesResource live : scope.withLabels(selector).list().getItems()) {
        if (!ofStack(live, step.getStackName())) {
          continue;
        }
        delete(scope, live);
        deleted.add(ResourceRefs.of(live));
      }
    }
  }

  private static boolean ofStack(GenericKubernetesResource live, String stack) {
    String owner =
        live.getMetadata().getLabels() == null
            ? null
            : live.getMetadata().getLabels().get(Ownership.STACK);
    return owner == null || stack == null || owner.equals(stack);
  }

  private static void delete(
      NonNamespaceOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          scope,
      GenericKubernetesResource live) {
    try {
      // fabric8 answers an empty list, not an error, for an object that is gone already
      scope.withName(live.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }
}
