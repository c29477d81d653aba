package io.stackpilot.runtime;

import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the binder, serde and dead-letter defaults every service shares, at the lowest precedence: a
 * service's own configuration and the environment override any of them.
 */
public class StackpilotDefaults implements EnvironmentPostProcessor {
  static final String RESOURCE = "stackpilot-defaults.properties";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(RESOURCE)) {
      return;
    }
    try {
      environment
          .getPropertySources()
          .addLast(new ResourcePropertySource(RESOURCE, new ClassPathResource(RESOURCE)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + " from the runtime jar", e);
    }
  }
}
