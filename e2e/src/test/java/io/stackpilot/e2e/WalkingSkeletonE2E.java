package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.of;
import static io.stackpilot.e2e.RolloutEvents.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * All four services against one real broker, one registry and three simulated clusters: one
 * declared change flows through every service, and every event of it shares the rollout's
 * correlation id and points at its cause.
 */
@ExtendWith(RealKafkaExtension.class)
class WalkingSkeletonE2E {
  static final List<String> CLUSTERS = List.of("foundation", "cryptellation", "perso");
  static final int COMPONENTS = 5;

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static KafkaBroker broker;
  static SchemaRegistry registry;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(CLUSTERS);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    webhook = HttpSink.start();
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.notifier.webhook.url=" + webhook.url());
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
  }

  @Test
  void oneChangeFlowsThroughAllFourServicesAsOneCausalChain() throws Exception {
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      String rolloutId = declare(Files.readString(Path.of("../examples/lgtm-multicluster.yaml")));
      int steps = CLUSTERS.size() * COMPONENTS;

      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                // one consumer reads every topic; each topic's records may arrive in any order
                assertThat(of(tap, DesiredStateChanged.class, rolloutId)).hasSize(1);
                assertThat(of(tap, RolloutPlanned.class, rolloutId)).hasSize(1);
                assertThat(of(tap, StepRequested.class, rolloutId)).hasSize(steps);
                assertThat(of(tap, StepApplied.class, rolloutId)).hasSize(steps);
                assertThat(of(tap, ComponentVerified.class, rolloutId)).hasSize(steps);
                assertThat(of(tap, NotificationSent.class, rolloutId)).hasSize(steps);
              });

      List<SpecificRecord> all = new ArrayList<>();
      tap.records().forEach(r -> all.add((SpecificRecord) r.value()));
      List<SpecificRecord> rollout =
          all.stream()
              .filter(e -> Topic.envelopeOf(e).getCorrelationId().equals(rolloutId))
              .toList();
      Map<String, SpecificRecord> byId =
          rollout.stream()
              .collect(
                  Collectors.toMap(e -> Topic.envelopeOf(e).getEventId(), Function.identity()));

      DesiredStateChanged change = single(of(tap, DesiredStateChanged.class, rolloutId));
      RolloutPlanned plan = single(of(tap, RolloutPlanned.class, rolloutId));
      assertThat(change.getEnvelope().getCausationId()).isNull();
      assertThat(change.getEnvelope().getActor()).isEqualTo("user:e2e");
      assertThat(plan.getEnvelope().getCausationId()).isEqualTo(change.getEnvelope().getEventId());
      assertThat(of(tap, StepRequested.class, rolloutId))
          .hasSize(steps)
          .allSatisfy(s -> assertCause(s.getEnvelope(), byId, RolloutPlanned.class));
      assertThat(of(tap, StepApplied.class, rolloutId))
          .hasSize(steps)
          .allSatisfy(s -> assertCause(s.getEnvelope(), byId, StepRequested.class));
      assertThat(of(tap, ComponentVerified.class, rolloutId))
          .hasSize(steps)
          .allSatisfy(
              v -> {
                assertCause(v.getEnvelope(), byId, StepApplied.class);
                assertThat(v.getHealth()).as(v.getReason()).isEqualTo(HealthStatus.HEALTHY);
              });
      assertThat(of(tap, NotificationSent.class, rolloutId))
          .allSatisfy(n -> assertCause(n.getEnvelope(), byId, ComponentVerified.class));

      // every event of the rollout names the actor who declared it, and its cluster when it has one
      assertThat(rollout)
          .allSatisfy(e -> assertThat(Topic.envelopeOf(e).getActor()).isEqualTo("user:e2e"));
      for (String cluster : CLUSTERS) {
        assertThat(of(tap, StepApplied.class, rolloutId))
            .filteredOn(a -> cluster.equals(a.getEnvelope().getCluster()))
            .hasSize(COMPONENTS);
        assertThat(fleet.client(cluster).configMaps().inNamespace("lgtm-system").list().getItems())
            .extracting(c -> c.getMetadata().getName())
            .contains("stackpilot-loki", "stackpilot-grafana", "stackpilot-mimir");
      }
      assertThat(webhook.bodies()).hasSizeGreaterThanOrEqualTo(steps);
    }
  }

  @Test
  void stackctlPlansRefusesAppliesAndWatchesARolloutWithScriptableExitCodes(@TempDir Path dir)
      throws Exception {
    String server = "http://127.0.0.1:" + port();
    // a stack of its own: the platform is shared with the other test, and a declaration that
    // changes nothing (the other test's lgtm, once rolled out) plans nothing
    Path example = dir.resolve("lgtm-cli.yaml");
    Files.writeString(
        example,
        Files.readString(Path.of("../examples/lgtm-multicluster.yaml"))
            .replaceFirst("name: lgtm", "name: lgtm-cli"));
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken, Files.readString(example).replace("            trace:\n", "            traces:\n"));
    Path token = dir.resolve("token");
    Files.writeString(token, ServiceArgs.API_TOKEN);

    Cli plan = stackctl("plan", "-f", example.toString(), "--server", server);
    assertThat(plan.code()).as(plan.out()).isEqualTo(0);
    assertThat(plan.out()).contains("lgtm-cli: 15 steps on 3 clusters, 2 waves").contains("canary");

    Cli blocked = stackctl("plan", "-f", broken.toString(), "--server", server);
    assertThat(blocked.code()).as(blocked.out()).isEqualTo(2);
    assertThat(blocked.out())
        .contains("TEMPO-STORAGE-TRACE")
        .contains("stack.spec.components[2].values.tempo.storage.traces");

    Cli unauthorized = stackctl("apply", "-f", example.toString(), "--server", server);
    assertThat(unauthorized.code()).as(unauthorized.out()).isEqualTo(3);

    Cli applied =
        stackctl(
            "apply",
            "-f",
            example.toString(),
            "--server",
            server,
            "--token-file",
            token.toString(),
            "--reason",
            "stackctl e2e",
            "--watch",
            "--bootstrap",
            broker.bootstrapServers(),
            "--registry",
            registry.url(),
            "--timeout",
            "PT2M");
    assertThat(applied.code()).as(applied.out()).isEqualTo(0);
    assertThat(applied.out())
        .contains("rollout ")
        .contains("StepApplied")
        .contains("DONE: 15/15 steps applied, 0 failed, unhealthy [], 15 notifications sent");
    String rolloutId = applied.out().replaceAll("(?s).*rollout ([0-9a-f-]{36}).*", "$1");

    Cli status = stackctl("rollout", "status", rolloutId, "--server", server);
    assertThat(status.code()).as(status.out()).isEqualTo(0);
    assertThat(status.out()).contains("COMPLETED");

    Cli again =
        stackctl(
            "apply",
            "-f",
            example.toString(),
            "--server",
            server,
            "--token-file",
            token.toString());
    assertThat(again.code()).as(again.out()).isEqualTo(0);
    assertThat(again.out()).contains("no changes");

    Cli fleet = stackctl("fleet", "ls", "--server", server);
    assertThat(fleet.code()).as(fleet.out()).isEqualTo(0);
    assertThat(fleet.out()).contains("foundation", "cryptellation", "perso");

    Cli paused =
        stackctl(
            "rollout",
            "pause",
            rolloutId,
            "--reason",
            "too late",
            "--server",
            server,
            "--token-file",
            token.toString());
    assertThat(paused.code()).as(paused.out()).isEqualTo(6);
  }

  /** What a stackctl invocation printed and returned. */
  record Cli(int code, String out) {}

  private static Cli stackctl(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new io.stackpilot.stackctl.Stackctl());
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(out, true));
    int code = cli.execute(args);
    return new Cli(code, out.toString());
  }

  private static int port() {
    return services.get(0).getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  private static void assertCause(
      EventEnvelope envelope, Map<String, SpecificRecord> byId, Class<?> causeType) {
    SpecificRecord cause = byId.get(envelope.getCausationId());
    assertThat(cause).as("cause of %s", envelope.getEventId()).isInstanceOf(causeType);
    EventEnvelope causeEnvelope = Topic.envelopeOf(cause);
    if (causeEnvelope.getCluster() != null) {
      assertThat(envelope.getCluster()).isEqualTo(causeEnvelope.getCluster());
    }
  }

  private static String declare(String yaml) throws Exception {
    HttpResponse<String> response =
        new PlannerApi(services.get(0), ServiceArgs.API_TOKEN)
            .declare(yaml, "", "first rollout of the seed stack");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return PlannerApi.rolloutId(response);
  }
}
