package io.stackpilot.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real broker ({@link KafkaBroker}) and a real registry ({@link SchemaRegistry}) as
 * parameters, shared by every test of the JVM. Use with {@code @ExtendWith}.
 */
public class RealKafkaExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaBroker.class || type == SchemaRegistry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaBroker.class ? KafkaBrokers.shared() : SchemaRegistry.shared();
  }
}
