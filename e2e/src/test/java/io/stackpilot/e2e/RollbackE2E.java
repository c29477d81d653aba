package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.awaitEnd;
import static io.stackpilot.e2e.RolloutEvents.gateRequest;
import static io.stackpilot.e2e.RolloutEvents.of;
import static io.stackpilot.e2e.RolloutEvents.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A failed gate rolls its wave back to the earlier revision's objects: the real planner, applier
 * and verifier roll revision 1 of a two-component stack out to three simulated clusters (canary,
 * then batches of one), then revision 2 (tempo's chart 1.24.0 to 1.25.0 and its retention 24h to
 * 48h). The canary's gate promotes; during the soak of the second wave the verifier's read of that
 * wave's tempo HelmRelease is refused once (403, a canned answer of the simulated API server), so
 * the real verifier judges the gate ROLL_BACK and the fleet's {@code onGateFailure: rollback-wave}
 * rolls the wave back. The second wave's cluster then holds exactly revision 1's objects again, the
 * third never saw revision 2, and the canary keeps it (earlier waves keep the new revision, as
 * docs/architecture.md says).
 *
 * <p>Objects are compared as read from the simulator, without what legitimately changes when the
 * same content is written again by another step: {@code metadata.resourceVersion}, {@code
 * generation}, {@code managedFields}, {@code status} (written by the simulated Flux controller,
 * whose Helm history grows on a rollback as Helm's does), and the {@code stackpilot.io/rollout} and
 * {@code stackpilot.io/step} annotations, which name the step that last wrote the object (the
 * roll-back step of rollout 2; checked on their own). The {@code stackpilot.io/digest} annotation,
 * {@code uid} and {@code creationTimestamp} are compared: the same objects carry revision 1's
 * digest again.
 */
@ExtendWith(RealKafkaExtension.class)
class RollbackE2E {
  static final String CANARY = "rb-canary";
  static final String ONE = "rb-one";
  static final String TWO = "rb-two";
  static final List<String> CLUSTERS = List.of(CANARY, ONE, TWO);
  static final String NAMESPACE = "rollback-system";
  static final int SOAK_SECONDS = 5;
  static final RollbackScenario SCENARIO =
      new RollbackScenario(NAMESPACE, CANARY, ONE, TWO, SOAK_SECONDS);
  static final ObjectMapper JSON = new ObjectMapper();

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(CLUSTERS);
    ClusterObjects.installRenderedCrds(fleet);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            // the drift detector's periodic reads would race the verifier for the refused read
            "--stackpilot.applier.drift.enabled=false");
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    api = new PlannerApi(services.get(0), ServiceArgs.API_TOKEN);
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void aFailedGateRollsItsWaveBackToTheEarlierRevisionsObjects() throws Exception {
    String stack = "rb-" + UUID.randomUUID().toString().substring(0, 8);
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      // revision 1 everywhere
      String first = declare(SCENARIO.spec(stack, "1.24.0", "24h"));
      assertThat(awaitEnd(tap, first).getPhase()).isEqualTo(RolloutPhase.COMPLETED);
      Map<String, Map<String, JsonNode>> revision1 = new TreeMap<>();
      for (String cluster : CLUSTERS) {
        revision1.put(cluster, snapshot(cluster));
        fleet.resetWrites(cluster);
      }
      assertThat(revision1.get(ONE)).containsKey("HelmRelease " + NAMESPACE + "/tempo");
      String digest1 = tempoDigest(tap, first, ONE, StepAction.APPLY);

      // revision 2: the canary promotes, the second wave's gate fails
      String second = declare(SCENARIO.spec(stack, "1.25.0", "48h"));
      List<PlannedWave> waves =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> of(tap, RolloutPlanned.class, second), p -> p.size() == 1)
              .get(0)
              .getWaves();
      assertThat(waves)
          .extracting(w -> w.getClusters().toString())
          .containsExactly("[" + CANARY + "]", "[" + ONE + "]", "[" + TWO + "]");
      RolloutStatusChanged gate =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> gateRequest(tap, second, 1), r -> r != null);
      Map<String, JsonNode> revision2 = snapshot(ONE);
      SCENARIO.refuseOneRead(fleet, gate.getGate().getSubjects());

      RolloutStatusChanged end = awaitEnd(tap, second);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.ROLLED_BACK);
      assertThat(end.getTransition()).isEqualTo(RolloutTransition.ROLLED_BACK);
      assertThat(end.getWaveIndex()).isEqualTo(1);
      GateDecided verdict =
          of(tap, GateDecided.class, second).stream()
              .filter(d -> d.getWaveIndex() == 1)
              .findFirst()
              .orElseThrow();
      assertThat(verdict.getDecision()).isEqualTo(GateDecision.ROLL_BACK);
      assertThat(String.join("; ", verdict.getReasons())).contains(ONE + "/tempo");

      // the second wave's cluster had revision 2, and holds revision 1's objects again
      String digest2 = tempoDigest(tap, second, ONE, StepAction.APPLY);
      assertThat(digest2).isNotEqualTo(digest1);
      assertThat(revision2).isNotEqualTo(revision1.get(ONE));
      assertThat(
              revision2.get("HelmRelease " + NAMESPACE + "/tempo").at("/spec/chart/spec/version"))
          .hasToString("\"1.25.0\"");
      List<StepApplied> undone =
          of(tap, StepApplied.class, second).stream()
              .filter(a -> a.getAction() == StepAction.ROLL_BACK)
              .toList();
      assertThat(undone)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getEnvelope().getCluster()).isEqualTo(ONE);
                assertThat(a.getComponent()).isEqualTo("tempo");
                assertThat(a.getDigest()).isEqualTo(digest1);
              });
      assertSameObjects(ONE, snapshot(ONE), revision1.get(ONE));
      // and the simulated Flux controller reconciles the release back to revision 1's chart
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(json(tempoRelease(ONE)).at("/status/lastAttemptedRevision").asText())
                      .isEqualTo("1.24.0"));
      GenericKubernetesResource release = tempoRelease(ONE);
      assertThat(release.getMetadata().getAnnotations())
          .containsEntry("stackpilot.io/digest", digest1)
          .containsEntry("stackpilot.io/step", second + "/" + ONE + "/tempo/rollback");

      // the third wave never started: untouched, not even written
      assertThat(of(tap, StepRequested.class, second))
          .extracting(s -> s.getEnvelope().getCluster())
          .doesNotContain(TWO);
      assertSameObjects(TWO, snapshot(TWO), revision1.get(TWO));
      assertThat(fleet.writes(TWO)).isEmpty();

      // the canary's wave passed its gate and keeps revision 2
      assertThat(tempoDigest(tap, second, CANARY, StepAction.APPLY)).isNotEqualTo(digest1);
      assertThat(snapshot(CANARY)).isNotEqualTo(revision1.get(CANARY));
      assertThat(json(tempoRelease(CANARY)).at("/spec/chart/spec/version"))
          .hasToString("\"1.25.0\"");

      String status = api.get("/api/v1/rollouts/" + second).body();
      assertThat(JSON.readTree(status).path("phase").asText()).isEqualTo("ROLLED_BACK");
    }
  }

  /** The same objects, compared one by one so that a failure names the object that differs. */
  private static void assertSameObjects(
      String cluster, Map<String, JsonNode> live, Map<String, JsonNode> expected) {
    assertThat(live.keySet()).as("objects on %s", cluster).isEqualTo(expected.keySet());
    expected.forEach(
        (key, object) -> assertThat(live.get(key)).as("%s on %s", key, cluster).isEqualTo(object));
  }

  private static String tempoDigest(
      EventTap tap, String rolloutId, String cluster, StepAction action) {
    return single(
            of(tap, StepApplied.class, rolloutId).stream()
                .filter(a -> a.getAction() == action && a.getComponent().equals("tempo"))
                .filter(a -> cluster.equals(a.getEnvelope().getCluster()))
                .toList())
        .getDigest();
  }

  private static GenericKubernetesResource tempoRelease(String cluster) {
    return fleet
        .client(cluster)
        .genericKubernetesResources("helm.toolkit.fluxcd.io/v2", "HelmRelease")
        .inNamespace(NAMESPACE)
        .withName("tempo")
        .get();
  }

  /**
   * Every object of every kind the applier renders, in every namespace, keyed by kind and name,
   * without what legitimately changes when the same content is written again (see the class doc).
   */
  private static Map<String, JsonNode> snapshot(String cluster) {
    Map<String, JsonNode> objects = new TreeMap<>();
    for (ClusterObjects.Kind kind : ClusterObjects.rendered()) {
      for (GenericKubernetesResource o : ClusterObjects.list(fleet.client(cluster), kind)) {
        ObjectNode tree = (ObjectNode) json(o);
        tree.remove("status");
        ObjectNode metadata = (ObjectNode) tree.path("metadata");
        metadata.remove(List.of("resourceVersion", "generation", "managedFields"));
        if (metadata.path("annotations") instanceof ObjectNode annotations) {
          annotations.remove(List.of("stackpilot.io/rollout", "stackpilot.io/step"));
        }
        String ns = o.getMetadata().getNamespace();
        objects.put(
            kind.kind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName(), tree);
      }
    }
    return objects;
  }

  private static JsonNode json(GenericKubernetesResource o) {
    try {
      return JSON.readTree(Serialization.asJson(o));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String declare(String yaml) throws Exception {
    HttpResponse<String> accepted = api.declare(yaml, "", "rollback e2e");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return PlannerApi.rolloutId(accepted);
  }
}
