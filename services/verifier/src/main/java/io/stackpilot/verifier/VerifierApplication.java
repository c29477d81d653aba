package io.stackpilot.verifier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The verifier: health, probes and SLOs, and whether a rollout may go on. */
@SpringBootApplication
public class VerifierApplication {

  /** The app with its own config file name (verifier.yml), so it can share a JVM with others. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(VerifierApplication.class)
        .properties("spring.config.name=verifier");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
