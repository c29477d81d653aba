package io.stackpilot.verifier.probe;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the verifier reaches a cluster's components: configured URLs, per cluster or for every
 * cluster as a template. A key is a component's name or its type ({@code loki}, {@code prometheus},
 * {@code blackbox-exporter}, or {@link #SLI} for the Prometheus that measures SLOs); the name wins
 * over the type, a cluster's own entry over the template. Templates may hold {@code {cluster}},
 * {@code {namespace}}, {@code {component}} and {@code {tenant}}, e.g. {@code
 * http://loki-gateway.{namespace}.svc.{cluster}.example:80}.
 *
 * @param templates URLs for every cluster ({@code stackpilot.verifier.targets.<key>})
 * @param clusters URLs of one cluster ({@code stackpilot.verifier.clusters.<cluster>.<key>})
 */
public record ProbeTargets(
    Map<String, String> templates, Map<String, Map<String, String>> clusters) {
  /** The key of the Prometheus (or Mimir, Thanos) that answers a cluster's SLI queries. */
  public static final String SLI = "prometheus-sli";

  /** The blackbox exporter that runs a cluster's declared probes. */
  public static final String BLACKBOX = "blackbox-exporter";

  public ProbeTargets {
    templates = templates == null ? Map.of() : Map.copyOf(templates);
    clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
  }

  /** Where a component answers on a cluster: by name, else by type; empty when neither is set. */
  public Optional<URI> of(
      String cluster, String namespace, String component, String type, String tenant) {
    Map<String, String> own = clusters.getOrDefault(cluster, Map.of());
    for (String key : new String[] {component, type}) {
      if (key == null) {
        continue;
      }
      String url = own.get(key);
      if (url == null) {
        url = templates.get(key);
      }
      if (url != null) {
        return Optional.of(
            URI.create(
                url.replace("{cluster}", cluster)
                    .replace("{namespace}", namespace == null ? "" : namespace)
                    .replace("{component}", component == null ? "" : component)
                    .replace("{tenant}", tenant == null ? "" : tenant)));
      }
    }
    return Optional.empty();
  }

  /** A cluster-wide target such as {@link #SLI} or {@link #BLACKBOX}. */
  public Optional<URI> of(String cluster, String key, String tenant) {
    return of(cluster, null, key, null, tenant);
  }
}
