package io.stackpilot.registry;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.servlet.ServletManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.HttpEncodingAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A Confluent-Schema-Registry-compatible server whose only storage is a compacted Kafka topic.
 *
 * <p>It is meant to be embedded next to other Spring apps in one JVM, so it neither scans packages
 * nor enables auto-configuration wholesale: it imports the few auto-configurations it needs (web,
 * Jackson, health) and its own beans by name, and reads {@code registry.yml}, never {@code
 * application.yml}. Kafka auto-configuration is therefore never active here.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({
  PropertyPlaceholderAutoConfiguration.class,
  ConfigurationPropertiesAutoConfiguration.class,
  JacksonAutoConfiguration.class,
  HttpMessageConvertersAutoConfiguration.class,
  SslAutoConfiguration.class,
  ServletWebServerFactoryAutoConfiguration.class,
  DispatcherServletAutoConfiguration.class,
  WebMvcAutoConfiguration.class,
  HttpEncodingAutoConfiguration.class,
  ErrorMvcAutoConfiguration.class,
  ApplicationAvailabilityAutoConfiguration.class,
  EndpointAutoConfiguration.class,
  JacksonEndpointAutoConfiguration.class,
  WebEndpointAutoConfiguration.class,
  HealthContributorAutoConfiguration.class,
  HealthEndpointAutoConfiguration.class,
  AvailabilityHealthContributorAutoConfiguration.class,
  AvailabilityProbesAutoConfiguration.class,
  InfoEndpointAutoConfiguration.class,
  ManagementContextAutoConfiguration.class,
  ServletManagementContextAutoConfiguration.class
})
@EnableConfigurationProperties(RegistryProperties.class)
@Import({
  SubjectsController.class,
  SchemasController.class,
  ConfigController.class,
  CompatibilityController.class,
  ApiErrors.class,
  ContainerErrors.class
})
public class RegistryApplication {

  static final String CONFIG_NAME = "registry";

  public static void main(String[] args) {
    new SpringApplicationBuilder(RegistryApplication.class)
        .web(WebApplicationType.SERVLET)
        .properties("spring.config.name=" + CONFIG_NAME)
        .run(args);
  }

  /**
   * Starts a registry in this JVM on 127.0.0.1 ({@code port} 0 picks a free port) and returns once
   * it has read its store topic. Settings are passed as command-line arguments so that the host
   * JVM's environment (SERVER_PORT, say) cannot override them.
   */
  public static ConfigurableApplicationContext start(
      String bootstrapServers, int port, String topic) {
    return new SpringApplicationBuilder(RegistryApplication.class)
        .web(WebApplicationType.SERVLET)
        .properties("spring.config.name=" + CONFIG_NAME)
        .run(
            "--spring.config.name=" + CONFIG_NAME,
            "--server.address=127.0.0.1",
            "--server.port=" + port,
            "--stackpilot.registry.bootstrap-servers=" + bootstrapServers,
            "--stackpilot.registry.topic=" + topic);
  }

  /** The base URL of a registry started by {@link #start}: {@code http://127.0.0.1:<port>}. */
  public static String url(ConfigurableApplicationContext context) {
    if (!(context instanceof WebServerApplicationContext web)) {
      throw new IllegalArgumentException("not a web application context: " + context);
    }
    return "http://127.0.0.1:" + web.getWebServer().getPort();
  }

  /**
   * Lets subjects contain '/' (sent as %2F, as the serde client does); Tomcat rejects encoded
   * slashes by default with a bare HTML 400.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesInSubjects() {
    return factory ->
        factory.addConnectorCustomizers(
            connector ->
                connector.setEncodedSolidusHandling(
                    EncodedSolidusHandling.PASS_THROUGH.getValue()));
  }

  @Bean
  RegistryState registryState() {
    return new RegistryState();
  }

  @Bean(destroyMethod = "close")
  KafkaStore kafkaStore(RegistryProperties properties, RegistryState state) {
    KafkaStore store = new KafkaStore(properties, state);
    try {
      // Blocking here, before the web server opens its port, is what makes "ready" mean
      // "has read the whole topic".
      store.start();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  @Bean
  RegistryService registryService(RegistryState state, KafkaStore store) {
    return new RegistryService(state, store);
  }

  @Bean
  StoreHealthIndicator registryStoreHealthIndicator(KafkaStore store) {
    return new StoreHealthIndicator(store);
  }
}
