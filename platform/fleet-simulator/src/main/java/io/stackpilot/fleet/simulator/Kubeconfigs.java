package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** Renders the kubeconfig that reaches a simulated fleet: one cluster, user and context each. */
final class Kubeconfigs {

  static final String NAMESPACE = "default";
  // the mock API server checks no credentials; a token keeps clients on their usual auth path
  static final String TOKEN = "fleet-simulator";

  private Kubeconfigs() {}

  /** The kubeconfig YAML for clusters in order; the first one is the current context. */
  static String render(Map<String, String> apiUrlByCluster) {
    if (apiUrlByCluster.isEmpty()) {
      throw new IllegalArgumentException("a kubeconfig needs at least one cluster");
    }
    ConfigBuilder kubeconfig =
        new ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .withCurrentContext(apiUrlByCluster.keySet().iterator().next());
    apiUrlByCluster.forEach(
        (cluster, apiUrl) ->
            kubeconfig
                .addToClusters(
                    new NamedClusterBuilder()
                        .withName(cluster)
                        .withNewCluster()
                        .withServer(apiUrl)
                        .endCluster()
                        .build())
                .addToUsers(
                    new NamedAuthInfoBuilder()
                        .withName(cluster)
                        .withNewUser()
                        .withToken(TOKEN)
                        .endUser()
                        .build())
                .addToContexts(
                    new NamedContextBuilder()
                        .withName(cluster)
                        .withNewContext()
                        .withCluster(cluster)
                        .withUser(cluster)
                        .withNamespace(NAMESPACE)
                        .endContext()
                        .build()));
    Config built = kubeconfig.build();
    return Serialization.asYaml(built);
  }
}
