package io.stackpilot.runtime.tracing;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The service's {@link Tracing}: on when {@code stackpilot.tracing.otlp-endpoint} (or Boot's {@code
 * management.otlp.tracing.endpoint}) names an OTLP http/protobuf endpoint, such as {@code
 * http://alloy:4318/v1/traces}; off (no-op) otherwise.
 */
@AutoConfiguration
public class TracingAutoConfiguration {

  @Bean(destroyMethod = "close")
  Tracing stackpilotTracing(
      @Value("${spring.application.name}") String service,
      @Value("${stackpilot.tracing.otlp-endpoint:${management.otlp.tracing.endpoint:}}")
          String endpoint,
      @Value(
              "${stackpilot.tracing.sampling-probability:${management.tracing.sampling.probability:1.0}}")
          double probability,
      @Value("${stackpilot.tracing.export-delay:5s}") Duration exportDelay) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException(
          "stackpilot.tracing.sampling-probability must be within 0..1, was " + probability);
    }
    return Tracing.start(service, new Tracing.Settings(endpoint, probability, exportDelay));
  }
}
