package io.stackpilot.notifier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The notifier: routes alerts and lifecycle verdicts to the people who need them. */
@SpringBootApplication
public class NotifierApplication {

  /** The app with its own config file name (notifier.yml), so it can share a JVM with others. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(NotifierApplication.class)
        .properties("spring.config.name=notifier");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
