package io.stackpilot.planner;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The planner: declared stacks and fleets in, dependency-ordered progressive rollouts out. */
@SpringBootApplication
public class PlannerApplication {

  /** The app with its own config file name (planner.yml), so it can share a JVM with others. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(PlannerApplication.class)
        .properties("spring.config.name=planner");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
