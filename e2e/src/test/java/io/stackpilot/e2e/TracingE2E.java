package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.e2e.OtlpReceiver.ReceivedSpan;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.runtime.EventHeaders;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One declared change is one trace: the four services export their spans over OTLP to a real
 * receiver, and the notifier's send descends from the verifier's verify, the applier's apply and
 * the planner's API call, which continues the caller's traceparent; the events carry it as a
 * header.
 */
@ExtendWith(RealKafkaExtension.class)
class TracingE2E {
  // clusters and stack of this test only: the broker is shared with the other e2e tests
  static final List<String> CLUSTERS = List.of("traced-hub", "traced-w1", "traced-w2");
  static final List<String> TOPICS =
      List.of(
          Topic.DESIRED_STATE.topicName(),
          Topic.STEPS.topicName(),
          Topic.STEP_APPLIED.topicName(),
          Topic.COMPONENT_HEALTH.topicName(),
          Topic.NOTIFICATIONS_SENT.topicName());

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static OtlpReceiver otlp;
  static KafkaBroker broker;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry registry, @TempDir Path dir)
      throws Exception {
    broker = kafka;
    otlp = OtlpReceiver.start();
    fleet = FleetSimulator.start(CLUSTERS);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    webhook = HttpSink.start();
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.notifier.webhook.url=" + webhook.url(),
            "--stackpilot.tracing.otlp-endpoint=" + otlp.endpoint(),
            "--stackpilot.tracing.export-delay=200ms");
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    services.add(NotifierApplication.builder().run(args));
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    webhook.close();
    fleet.close();
    otlp.close();
  }

  @Test
  void oneChangeIsOneTraceFromTheApiCallToTheNotification() throws Exception {
    String traceId = HexFormat.of().formatHex(randomBytes(16));
    String callerSpan = HexFormat.of().formatHex(randomBytes(8));
    try (EventTap tap = EventTap.raw(broker.bootstrapServers(), TOPICS)) {
      String rolloutId = declare("00-" + traceId + "-" + callerSpan + "-01");

      // the chain, from the notifier's send up to the API call that declared the change
      List<ReceivedSpan> chain =
          await("a notifier send span whose parents reach the planner's API span")
              .atMost(Duration.ofSeconds(90))
              .until(() -> sendChain(traceId), Optional::isPresent)
              .orElseThrow();
      List<String> names = chain.stream().map(ReceivedSpan::name).toList();
      // the send's nearest ancestors are its verdict, the step and the planner's drive; further
      // up the chain may climb through earlier steps, gates and waves (a later one is driven by
      // an earlier verdict) before it reaches the API call, always within the four services
      List<String> services = collapse(chain.stream().map(ReceivedSpan::service).toList());
      assertThat(services)
          .as("services from the send up, in %s", names)
          .startsWith(
              "stackpilot-notifier",
              "stackpilot-verifier",
              "stackpilot-applier",
              "stackpilot-planner")
          .endsWith("stackpilot-planner")
          .containsOnlyOnce("stackpilot-notifier")
          .isSubsetOf(
              "stackpilot-notifier",
              "stackpilot-verifier",
              "stackpilot-applier",
              "stackpilot-planner");
      assertThat(names).containsSubsequence("send", "verify", "apply", "POST /api/v1/rollouts");
      ReceivedSpan api = chain.get(chain.size() - 1);
      assertThat(api.name()).isEqualTo("POST /api/v1/rollouts");
      assertThat(api.parentSpanId())
          .as("the caller's traceparent is honoured")
          .isEqualTo(callerSpan);
      assertThat(api.attributes()).containsEntry("stackpilot.rollout_id", rolloutId);

      Map<String, ReceivedSpan> work =
          chain.stream()
              .filter(s -> List.of("apply", "verify", "send").contains(s.name()))
              // the spans nearest the send: those of the wave that sent it
              .collect(Collectors.toMap(ReceivedSpan::name, Function.identity(), (a, b) -> a));
      String cluster = work.get("apply").attributes().get("stackpilot.cluster");
      assertThat(cluster).isIn(CLUSTERS);
      assertThat(work.values())
          .allSatisfy(
              s ->
                  assertThat(s.attributes())
                      .containsEntry("stackpilot.rollout_id", rolloutId)
                      .containsEntry("stackpilot.cluster", cluster));

      // every event of the change carries the trace in a plain-text traceparent header
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          tap.records().stream()
                              .filter(r -> rolloutId.equals(header(r, EventHeaders.CORRELATION_ID)))
                              .map(ConsumerRecord::topic)
                              .distinct())
                      .containsExactlyInAnyOrderElementsOf(TOPICS));
      assertThat(tap.records())
          .filteredOn(r -> rolloutId.equals(header(r, EventHeaders.CORRELATION_ID)))
          .allSatisfy(
              r ->
                  assertThat(header(r, "traceparent"))
                      .as("traceparent of %s", r.topic())
                      .matches("00-" + traceId + "-[0-9a-f]{16}-01"));
    }
  }

  /** POST the change with the caller's traceparent; the rollout id of the 202. */
  private static String declare(String traceparent) throws Exception {
    String yaml = Files.readString(Path.of("../examples/lgtm-multicluster.yaml"));
    yaml =
        yaml.replaceFirst("name: lgtm", "name: lgtm-traced")
            .replace("foundation", CLUSTERS.get(0))
            .replace("cryptellation", CLUSTERS.get(1))
            .replace("perso", CLUSTERS.get(2));
    int port =
        services.get(0).getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/rollouts"))
            .header("Content-Type", "application/yaml")
            .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
            .header("Stackpilot-Actor", "user:e2e")
            .header("traceparent", traceparent)
            .POST(HttpRequest.BodyPublishers.ofString(yaml))
            .build();
    HttpResponse<String> accepted =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return PlannerApi.rolloutId(accepted);
  }

  /** A notifier "send" span of the trace with its ancestors up to the root, once all exported. */
  private static Optional<List<ReceivedSpan>> sendChain(String traceId) {
    Map<String, ReceivedSpan> byId =
        otlp.spans().stream()
            .filter(s -> s.traceId().equals(traceId))
            .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));
    for (ReceivedSpan send : byId.values()) {
      if (!send.name().equals("send") || !"stackpilot-notifier".equals(send.service())) {
        continue;
      }
      List<ReceivedSpan> chain = new ArrayList<>();
      for (ReceivedSpan s = send; s != null; s = byId.get(s.parentSpanId())) {
        chain.add(s);
      }
      if (chain.get(chain.size() - 1).name().startsWith("POST ")) {
        return Optional.of(chain);
      }
    }
    return Optional.empty();
  }

  private static List<String> collapse(List<String> services) {
    List<String> out = new ArrayList<>();
    for (String s : services) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<String, Object> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random().nextBytes(bytes);
    return bytes;
  }
}
