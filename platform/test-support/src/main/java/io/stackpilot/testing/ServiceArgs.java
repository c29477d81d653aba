package io.stackpilot.testing;

import java.util.ArrayList;
import java.util.List;

/** Command-line properties that point a Stackpilot service at the test broker and registry. */
public final class ServiceArgs {
  /** The planner's API token in tests; send it as {@code Authorization: Bearer <token>}. */
  public static final String API_TOKEN = "test-api-token";

  private ServiceArgs() {}

  public static String[] of(KafkaBroker broker, SchemaRegistry registry, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--stackpilot.kafka.bootstrap-servers=" + broker.bootstrapServers());
    args.add("--stackpilot.registry.url=" + registry.url());
    args.add("--server.port=0");
    args.add("--stackpilot.planner.api-token=" + API_TOKEN);
    args.add("--spring.cloud.stream.kafka.binder.configuration.metadata.max.age.ms=1000");
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }
}
