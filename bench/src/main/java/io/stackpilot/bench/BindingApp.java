package io.stackpilot.bench;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest Spring Boot application a Stackpilot service is: auto-configuration only, which
 * brings the runtime (EventPublisher, defaults) and Spring Cloud Stream's Kafka binder.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BindingApp {}
