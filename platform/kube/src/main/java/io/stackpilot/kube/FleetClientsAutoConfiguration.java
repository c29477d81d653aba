package io.stackpilot.kube;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Gives a Spring service its {@link FleetClients}, configured under {@code stackpilot.kube}. */
@AutoConfiguration
@ConditionalOnClass(name = "io.fabric8.kubernetes.client.KubernetesClient")
@EnableConfigurationProperties(FleetClientsAutoConfiguration.KubeProperties.class)
public class FleetClientsAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  FleetClients fleetClients(KubeProperties properties) {
    String path = properties.kubeconfig();
    if (path == null || path.isBlank()) {
      path = System.getenv("KUBECONFIG");
    }
    if (path == null || path.isBlank()) {
      path = System.getProperty("user.home") + "/.kube/config";
    }
    return new FleetClients(
        new File(path),
        properties.contexts() == null ? Map.of() : properties.contexts(),
        properties.requestTimeout() == null ? Duration.ofSeconds(10) : properties.requestTimeout(),
        properties.maxConnectionsPerCluster() == null
            ? FleetClients.DEFAULT_MAX_CONNECTIONS_PER_CLUSTER
            : properties.maxConnectionsPerCluster());
  }

  /**
   * {@code stackpilot.kube.kubeconfig} (default $KUBECONFIG, then ~/.kube/config), {@code
   * stackpilot.kube.contexts.<cluster>=<context>} where they differ, {@code
   * stackpilot.kube.request-timeout}, {@code stackpilot.kube.max-connections-per-cluster} (default
   * {@value FleetClients#DEFAULT_MAX_CONNECTIONS_PER_CLUSTER}).
   */
  @ConfigurationProperties("stackpilot.kube")
  public record KubeProperties(
      String kubeconfig,
      Map<String, String> contexts,
      Duration requestTimeout,
      Integer maxConnectionsPerCluster) {}
}
