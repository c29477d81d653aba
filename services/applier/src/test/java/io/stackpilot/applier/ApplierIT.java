package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import io.stackpilot.testing.DeadLetters;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.testing.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The applier against a real broker, registry and simulated clusters reached by kubeconfig context:
 * steps become server-side-applied objects, failures are classified, poison goes to DLQ.
 */
@ExtendWith(RealKafkaExtension.class)
class ApplierIT {
  static ConfigurableApplicationContext applier;
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static EventTap results;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(List.of("foundation", "perso"));
    // kinds the renderer makes that the simulator does not know yet (WellKnownCustomResources)
    RENDERED_BUT_NOT_WELL_KNOWN.forEach(fleet::expectCustomResource);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    applier =
        ApplierApplication.builder()
            .run(ServiceArgs.of(broker, registry, "--stackpilot.kube.kubeconfig=" + kubeconfig));
    results =
        EventTap.avro(
            broker.bootstrapServers(),
            registry.url(),
            List.of(Topic.STEP_APPLIED.topicName(), Topic.STEP_FAILED.topicName()));
  }

  /**
   * Argo CD Application, blackbox Probe, Sloth SLO: the renderer's kinds beyond the simulator's
   * list.
   */
  static final List<CustomResourceDefinitionContext> RENDERED_BUT_NOT_WELL_KNOWN =
      List.of(
          WellKnownCustomResources.namespaced(
              "argoproj.io", "v1alpha1", "Application", "applications", true),
          WellKnownCustomResources.namespaced(
              "monitoring.coreos.com", "v1", "Probe", "probes", false),
          WellKnownCustomResources.namespaced(
              "sloth.slok.dev", "v1", "PrometheusServiceLevel", "prometheusservicelevels", true));

  @AfterAll
  static void stop() {
    results.close();
    applier.close();
    fleet.close();
  }

  @Test
  void aStepIsServerSideAppliedToItsClusterOnly() {
    StepRequested step = Events.stepRequested("r-apply", "perso", "loki");
    send(step);

    StepApplied applied = awaitApplied(step.getStepId());
    assertThat(applied.getAction()).isEqualTo(StepAction.APPLY);
    assertThat(applied.getEnvelope().getCausationId()).isEqualTo(step.getEnvelope().getEventId());
    assertThat(applied.getEnvelope().getCorrelationId()).isEqualTo("r-apply");
    assertThat(applied.getResources())
        .extracting(r -> r.getKind() + "/" + r.getName())
        .containsExactly(
            "Namespace/lgtm-system",
            "ConfigMap/stackpilot-loki",
            "HelmRepository/loki",
            "HelmRelease/loki");
    assertThat(applied.getResources())
        .allSatisfy(r -> assertThat(r.getResourceVersion()).isNotBlank());

    ConfigMap live =
        fleet
            .client("perso")
            .configMaps()
            .inNamespace("lgtm-system")
            .withName("stackpilot-loki")
            .get();
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry(Ownership.DIGEST, step.getDigest());
    assertThat(live.getMetadata().getLabels()).containsEntry(Ownership.MANAGED_BY, "stackpilot");
    assertThat(live.getData()).containsEntry("values.loki.auth_enabled", "true");
    assertThat(
            fleet
                .client("foundation")
                .configMaps()
                .inNamespace("lgtm-system")
                .withName("stackpilot-loki")
                .get())
        .isNull();
  }

  @Test
  void aStepForAClusterNoContextReachesFailsPermanently() {
    StepRequested step = Events.stepRequested("r-unknown", "mars", "loki");
    send(step);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(results.values(StepFailed.class))
                    .anySatisfy(
                        f -> {
                          assertThat(f.getStepId()).isEqualTo(step.getStepId());
                          assertThat(f.getReason()).isEqualTo("UnknownCluster");
                          assertThat(f.getRetriable()).isFalse();
                        }));
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndApplyingGoesOn() {
    try (EventTap dlq =
        EventTap.raw(broker.bootstrapServers(), List.of(Topic.deadLetterTopic("applier")))) {
      double deadBefore = count("stackpilot.dead.letters", "topic", Topic.STEPS.topicName());
      double appliedBefore = count("stackpilot.applier.steps", "outcome", "applied");
      DeadLetters.sendPoison(broker, Topic.STEPS.topicName(), "foundation");
      StepRequested valid = Events.stepRequested("r-after-poison", "foundation", "tempo");
      send(valid);

      DeadLetters.awaitPoison(dlq, Topic.STEPS.topicName());
      awaitApplied(valid.getStepId());
      // and the applier's meters say so: a dead letter from the steps topic, one more step applied
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(count("stackpilot.dead.letters", "topic", Topic.STEPS.topicName()))
                    .isGreaterThan(deadBefore);
                assertThat(count("stackpilot.applier.steps", "outcome", "applied"))
                    .isGreaterThan(appliedBefore);
              });
      assertThat(
              applier
                  .getBean(MeterRegistry.class)
                  .find("stackpilot.events.consumed")
                  .tags("topic", Topic.STEPS.topicName(), "event_type", "StepRequested")
                  .tag("outcome", "handled")
                  .counter())
          .isNotNull();
    }
  }

  private static double count(String name, String tag, String value) {
    Counter counter = applier.getBean(MeterRegistry.class).find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A roll-back step is applied like any other and restores the earlier revision's content. */
  @Test
  void aRollBackAppliesTheEarlierRevisionCarriedInTheStep() {
    StepRequested upgrade =
        inNamespace(Events.stepRequested("r-rollback-1", "foundation", "grafana"), "rollback");
    send(upgrade);
    awaitApplied(upgrade.getStepId());

    StepRequested rollBack =
        inNamespace(Events.stepRequested("r-rollback-2", "foundation", "grafana"), "rollback");
    rollBack.setAction(StepAction.ROLL_BACK);
    rollBack.setDigest("sha256:grafana-0");
    rollBack.setPreviousDigest(upgrade.getDigest());
    rollBack.setValues(Map.of("grafana.replicas", "1"));
    send(rollBack);

    StepApplied applied = awaitApplied(rollBack.getStepId());
    assertThat(applied.getAction()).isEqualTo(StepAction.ROLL_BACK);
    assertThat(applied.getDigest()).isEqualTo("sha256:grafana-0");
    ConfigMap live = configMap("foundation", "rollback", "stackpilot-grafana");
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry(Ownership.DIGEST, "sha256:grafana-0");
    assertThat(live.getData()).containsEntry("values.grafana.replicas", "1");
  }

  /**
   * A prune deletes exactly the component's Stackpilot-owned objects and lists them: another
   * component's objects, an object with the component label that Stackpilot does not manage, the
   * same component's object of another stack, and the shared Namespace stay.
   */
  @Test
  void aPruneDeletesThatComponentsObjectsOnly() {
    StepRequested mimir =
        inNamespace(Events.stepRequested("r-prune-apply", "perso", "mimir"), "prune");
    StepRequested pyroscope =
        inNamespace(Events.stepRequested("r-prune-apply", "perso", "pyroscope"), "prune");
    send(mimir);
    send(pyroscope);
    StepApplied mimirApplied = awaitApplied(mimir.getStepId());
    awaitApplied(pyroscope.getStepId());
    fleet
        .client("perso")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("mimir-by-hand")
                .withNamespace("prune")
                .addToLabels(Ownership.COMPONENT, "mimir")
                .endMetadata()
                .build())
        .create();
    fleet
        .client("perso")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("mimir-of-another-stack")
                .withNamespace("prune")
                .addToLabels(Ownership.componentSelector("mimir"))
                .addToLabels(Ownership.STACK, "another-stack")
                .endMetadata()
                .build())
        .create();

    StepRequested prune =
        pruneOf(inNamespace(Events.stepRequested("r-prune", "perso", "mimir"), "prune"));
    send(prune);

    StepApplied pruned = awaitApplied(prune.getStepId());
    assertThat(pruned.getAction()).isEqualTo(StepAction.PRUNE);
    assertThat(pruned.getDigest()).isEqualTo(prune.getDigest());
    assertThat(pruned.getEnvelope().getCausationId()).isEqualTo(prune.getEnvelope().getEventId());
    String appliedVersion =
        mimirApplied.getResources().stream()
            .filter(r -> r.getKind().equals("ConfigMap"))
            .findFirst()
            .orElseThrow()
            .getResourceVersion();
    // kinds in the reverse of apply order: the release before its source, the record last
    assertThat(pruned.getResources())
        .extracting(r -> r.getKind() + " " + r.getNamespace() + "/" + r.getName())
        .containsExactly(
            "HelmRelease prune/mimir",
            "HelmRepository prune/mimir",
            "ConfigMap prune/stackpilot-mimir");
    assertThat(pruned.getResources())
        .filteredOn(r -> r.getKind().equals("ConfigMap"))
        .singleElement()
        .satisfies(r -> assertThat(r.getResourceVersion()).isEqualTo(appliedVersion));
    assertThat(fleet.client("perso").configMaps().inNamespace("prune").list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "stackpilot-pyroscope", "mimir-by-hand", "mimir-of-another-stack");
    assertThat(fleet.client("perso").namespaces().withName("prune").get()).isNotNull();
  }

  /**
   * Every driver's objects reach the cluster: an Argo CD step becomes an Application in argocd, a
   * blackbox exporter's probes become Probe objects, a Sloth component's SLOs a
   * PrometheusServiceLevel; a prune removes the Probes and SLOs by label.
   */
  @Test
  void argoCdApplicationsProbesAndSlosAreAppliedAndPruned() {
    StepRequested argo =
        inNamespace(Events.stepRequested("r-drivers", "foundation", "thanos"), "drivers");
    argo.setDriver(RenderDriver.ARGOCD);
    argo.setOrder(1);
    StepRequested probes =
        inNamespace(Events.stepRequested("r-drivers", "foundation", "blackbox"), "drivers");
    probes.setComponentType("blackbox-exporter");
    probes.setComponentSpec(
        "{\"probes\":[{\"module\":\"http_2xx\",\"name\":\"grafana\","
            + "\"url\":\"https://grafana.example.com\"}]}");
    StepRequested slos =
        inNamespace(Events.stepRequested("r-drivers", "foundation", "sloth"), "drivers");
    slos.setComponentType("sloth");
    slos.setComponentSpec(
        "{\"slos\":[{\"alertName\":\"Burn\",\"errorQuery\":\"e\",\"name\":\"avail\","
            + "\"objective\":99.9,\"service\":\"myapp\",\"totalQuery\":\"t\"}]}");
    send(argo);
    send(probes);
    send(slos);

    assertThat(awaitApplied(argo.getStepId()).getResources())
        .extracting(r -> r.getKind() + " " + r.getNamespace() + "/" + r.getName())
        .contains("Application argocd/thanos");
    assertThat(awaitApplied(probes.getStepId()).getResources())
        .extracting(r -> r.getKind() + " " + r.getNamespace() + "/" + r.getName())
        .contains("Probe drivers/blackbox-grafana");
    assertThat(awaitApplied(slos.getStepId()).getResources())
        .extracting(r -> r.getKind() + " " + r.getNamespace() + "/" + r.getName())
        .contains("PrometheusServiceLevel drivers/sloth-myapp");
    var app =
        fleet
            .client("foundation")
            .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
            .inNamespace("argocd")
            .withName("thanos")
            .get();
    assertThat(app.getMetadata().getAnnotations())
        .containsEntry("argocd.argoproj.io/sync-wave", "1");

    StepRequested prune =
        pruneOf(
            inNamespace(
                Events.stepRequested("r-drivers-prune", "foundation", "blackbox"), "drivers"));
    send(prune);
    assertThat(awaitApplied(prune.getStepId()).getResources())
        .extracting(r -> r.getKind() + "/" + r.getName())
        .contains("Probe/blackbox-grafana");
    assertThat(
            fleet
                .client("foundation")
                .genericKubernetesResources("monitoring.coreos.com/v1", "Probe")
                .inNamespace("drivers")
                .list()
                .getItems())
        .isEmpty();

    // an Argo CD component is pruned in argocd too: a left-over Application would keep it running
    StepRequested pruneArgo =
        pruneOf(
            inNamespace(
                Events.stepRequested("r-drivers-prune", "foundation", "thanos"), "drivers"));
    send(pruneArgo);
    assertThat(awaitApplied(pruneArgo.getStepId()).getResources())
        .extracting(r -> r.getKind() + " " + r.getNamespace() + "/" + r.getName())
        .contains("Application argocd/thanos");
    assertThat(
            fleet
                .client("foundation")
                .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace("argocd")
                .withName("thanos")
                .get())
        .isNull();
  }

  /**
   * Components share their Namespace, each applying it under its own field manager: the Pod
   * Security label kube-prometheus-stack needs for node-exporter stays when loki, which does not
   * set it, applies the same Namespace after it (the simulator removes what a manager stops
   * applying, as a real API server does).
   */
  @Test
  void aComponentWithoutThePodSecurityLabelDoesNotTakeAwayAnothersOnTheSharedNamespace() {
    StepRequested prometheus =
        inNamespace(
            Events.stepRequested("r-psa", "foundation", "kube-prometheus-stack"), "psa-shared");
    prometheus.setComponentType("kube-prometheus-stack");
    send(prometheus);
    awaitApplied(prometheus.getStepId());
    StepRequested loki =
        inNamespace(Events.stepRequested("r-psa", "foundation", "loki"), "psa-shared");
    send(loki);
    awaitApplied(loki.getStepId());
    // loki again, with other values: its Namespace apply is a real second apply by its manager
    StepRequested lokiAgain =
        inNamespace(Events.stepRequested("r-psa-2", "foundation", "loki"), "psa-shared");
    lokiAgain.setDigest("sha256:loki-2");
    send(lokiAgain);
    awaitApplied(lokiAgain.getStepId());

    assertThat(
            fleet
                .client("foundation")
                .namespaces()
                .withName("psa-shared")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
        .containsEntry(Ownership.MANAGED_BY, Ownership.MANAGER);
  }

  /** Pruning what is not there succeeds and lists nothing: a repeated prune is harmless. */
  @Test
  void aPruneOfAnAbsentComponentSucceedsWithNoObjects() {
    StepRequested prune = pruneOf(Events.stepRequested("r-prune-absent", "foundation", "ghost"));
    send(prune);

    StepApplied pruned = awaitApplied(prune.getStepId());
    assertThat(pruned.getAction()).isEqualTo(StepAction.PRUNE);
    assertThat(pruned.getResources()).isEmpty();
  }

  /**
   * A delete the API server refuses is a classified, permanent StepFailed that lists what was
   * deleted before it; the refused object stays.
   */
  @Test
  void aPruneTheClusterForbidsFailsPermanently() {
    StepRequested alloy =
        inNamespace(Events.stepRequested("r-prune-forbidden-apply", "perso", "alloy"), "forbid");
    send(alloy);
    awaitApplied(alloy.getStepId());
    fleet
        .server("perso")
        .expect()
        .delete()
        .withPath("/api/v1/namespaces/forbid/configmaps/stackpilot-alloy")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("configmaps is forbidden")
                .build())
        .once();

    StepRequested prune =
        pruneOf(inNamespace(Events.stepRequested("r-prune-forbidden", "perso", "alloy"), "forbid"));
    send(prune);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(results.values(StepFailed.class))
                    .anySatisfy(
                        f -> {
                          assertThat(f.getStepId()).isEqualTo(prune.getStepId());
                          assertThat(f.getReason()).isEqualTo("Forbidden");
                          assertThat(f.getRetriable()).isFalse();
                          // what was deleted before the refusal is listed: the release
                          // and its source come before the record in prune order
                          assertThat(f.getResources())
                              .extracting(r -> r.getKind() + "/" + r.getName())
                              .containsExactly("HelmRelease/alloy", "HelmRepository/alloy");
                        }));
    assertThat(configMap("perso", "forbid", "stackpilot-alloy")).isNotNull();
  }

  private static StepRequested inNamespace(StepRequested step, String namespace) {
    step.setNamespace(namespace);
    step.setStackName("lgtm-it");
    return step;
  }

  private static StepRequested pruneOf(StepRequested step) {
    step.setAction(StepAction.PRUNE);
    step.setChart(null);
    step.setValues(Map.of());
    return step;
  }

  private static ConfigMap configMap(String cluster, String namespace, String name) {
    return fleet.client(cluster).configMaps().inNamespace(namespace).withName(name).get();
  }

  @Test
  void aStepHandledAgainWritesNothingTheStepAlreadyWrote() {
    StepRequested step = Events.stepRequested("r-again", "foundation", "mimir");
    send(step);
    awaitApplied(step.getStepId());
    fleet.resetWrites("foundation");

    // the same record again: what a crash between the apply and the commit redelivers
    send(step);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                results.values(StepApplied.class).stream()
                        .filter(a -> a.getStepId().equals(step.getStepId()))
                        .count()
                    == 2);
    assertThat(fleet.writes("foundation")).isEmpty();
  }

  private static void send(StepRequested step) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.STEPS.topicName(),
        step.getEnvelope().getCluster(),
        step);
  }

  private static StepApplied awaitApplied(String stepId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                results.values(StepApplied.class).stream()
                    .anyMatch(a -> a.getStepId().equals(stepId)));
    return results.values(StepApplied.class).stream()
        .filter(a -> a.getStepId().equals(stepId))
        .findFirst()
        .orElseThrow();
  }
}
