package io.stackpilot.applier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The applier: renders plan steps and server-side-applies them to each cluster. */
@SpringBootApplication
public class ApplierApplication {

  /** The app with its own config file name (applier.yml), so it can share a JVM with others. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(ApplierApplication.class)
        .properties("spring.config.name=applier");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
