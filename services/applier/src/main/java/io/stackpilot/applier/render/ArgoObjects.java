package io.stackpilot.applier.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.StepRequested;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Argo CD driver: one Application per component in the {@code argocd} namespace of the cluster
 * itself (destination {@code https://kubernetes.default.svc}), the Helm values inline as {@code
 * valuesObject}, and the dependency rank as its sync wave (seed 003: kube-prometheus-stack, then
 * Thanos, Loki and Tempo, then Alloy). Automated sync with prune and self-heal, the namespace
 * created by Argo CD, and server-side apply (kube-prometheus-stack's CRDs exceed the annotation
 * size client-side apply needs).
 */
final class ArgoObjects {
  static final String API = "argoproj.io/v1alpha1";
  static final String NAMESPACE = "argocd";
  static final String SYNC_WAVE = "argocd.argoproj.io/sync-wave";
  static final String IN_CLUSTER = "https://kubernetes.default.svc";

  private ArgoObjects() {}

  static List<HasMetadata> render(StepRequested step, Map<String, Object> values) {
    ChartRef chart = step.getChart();
    Map<String, Object> helm = new LinkedHashMap<>();
    helm.put("releaseName", step.getComponent());
    helm.put("valuesObject", values);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("repoURL", repoUrl(chart.getRepository()));
    source.put("chart", chart.getName());
    source.put("targetRevision", chart.getVersion());
    source.put("helm", helm);
    Map<String, Object> destination = new LinkedHashMap<>();
    destination.put("server", IN_CLUSTER);
    destination.put("namespace", step.getNamespace());
    Map<String, Object> automated = new LinkedHashMap<>();
    automated.put("prune", true);
    automated.put("selfHeal", true);
    Map<String, Object> syncPolicy = new LinkedHashMap<>();
    syncPolicy.put("automated", automated);
    syncPolicy.put("syncOptions", List.of("CreateNamespace=true", "ServerSideApply=true"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("project", "default");
    spec.put("source", source);
    spec.put("destination", destination);
    spec.put("syncPolicy", syncPolicy);
    var app = Resources.custom(API, "Application", step.getComponent(), NAMESPACE, spec);
    app.getMetadata().setAnnotations(Map.of(SYNC_WAVE, String.valueOf(step.getOrder())));
    return List.of(app);
  }

  /**
   * Argo CD names a Helm OCI repository without its scheme ({@code
   * registry-1.docker.io/bitnamicharts}).
   */
  static String repoUrl(String repository) {
    return repository.startsWith("oci://") ? repository.substring("oci://".length()) : repository;
  }
}
