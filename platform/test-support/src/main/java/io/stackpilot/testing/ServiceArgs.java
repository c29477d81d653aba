package io.stackpilot.testing;

import java.util.ArrayList;
import java.util.List;

/** Command-line properties that point a Stackpilot service at the test broker and registry. */
public final class ServiceArgs {
  /**
   * The planner's and the notifier's API token in tests; send it as {@code Authorization: Bearer
   * <token>}.
   */
  public static final String API_TOKEN = "test-api-token";

  private ServiceArgs() {}

  public static String[] of(KafkaBroker broker, SchemaRegistry registry, String... extra) {
    return of(broker, registry.url(), extra);
  }

  /** For a broker or cluster of the test's own, with a registry stored on it. */
  public static String[] of(KafkaBroker broker, String registryUrl, String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--stackpilot.kafka.bootstrap-servers=" + broker.bootstrapServers());
    args.add("--stackpilot.registry.url=" + registryUrl);
    args.add("--server.port=0");
    args.add("--stackpilot.planner.api-token=" + API_TOKEN);
    args.add("--stackpilot.notifier.api-token=" + API_TOKEN);
    args.add("--spring.cloud.stream.kafka.binder.configuration.metadata.max.age.ms=1000");
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }
}
