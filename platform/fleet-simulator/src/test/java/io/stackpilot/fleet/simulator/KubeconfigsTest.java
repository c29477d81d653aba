package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the kubeconfig names one cluster, user and context per simulated cluster. */
class KubeconfigsTest {

  @Test
  void oneContextPerClusterAndTheFirstIsCurrent() {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("perso", "http://127.0.0.1:1001");
    urls.put("foundation", "http://127.0.0.1:1002");

    Config kubeconfig = Serialization.unmarshal(Kubeconfigs.render(urls), Config.class);

    assertThat(kubeconfig.getCurrentContext()).isEqualTo("perso");
    assertThat(kubeconfig.getContexts())
        .extracting(NamedContext::getName)
        .containsExactly("perso", "foundation");
    assertThat(kubeconfig.getContexts().get(1).getContext().getCluster()).isEqualTo("foundation");
    assertThat(kubeconfig.getContexts().get(1).getContext().getUser()).isEqualTo("foundation");
    assertThat(kubeconfig.getClusters().get(1).getCluster().getServer())
        .isEqualTo("http://127.0.0.1:1002");
    assertThat(kubeconfig.getUsers()).hasSize(2);
  }

  @Test
  void refusesAnEmptyFleet() {
    assertThatThrownBy(() -> Kubeconfigs.render(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
