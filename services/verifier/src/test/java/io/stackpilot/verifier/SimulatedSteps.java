package io.stackpilot.verifier;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepApplied;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.fleet.simulator.WellKnownCustomResources;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.Events;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.TestRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Steps as the applier leaves them on a simulated cluster: a HelmRelease created with its digest,
 * which the simulated Flux controller turns into its chart's workloads, and its StepApplied.
 */
record SimulatedSteps(
    FleetSimulator fleet, String cluster, KafkaBroker broker, SchemaRegistry registry) {

  /** Creates a HelmRelease of {@code chart} named {@code name}, then sends its StepApplied. */
  StepApplied install(String rolloutId, String namespace, String name, String chart) {
    StepApplied applied = createRelease(rolloutId, namespace, name, chart);
    send(applied);
    return applied;
  }

  /** Creates the HelmRelease and returns the StepApplied that says so, not sent yet. */
  StepApplied createRelease(String rolloutId, String namespace, String name, String chart) {
    StepApplied applied =
        Events.stepApplied(
            rolloutId,
            cluster,
            name,
            List.of(
                ResourceRef.newBuilder()
                    .setApiVersion("helm.toolkit.fluxcd.io/v2")
                    .setKind("HelmRelease")
                    .setNamespace(namespace)
                    .setName(name)
                    .build()));
    // the deadline runs from the StepApplied's time; Events stamps a fixed one
    applied.getEnvelope().setOccurredAt(Instant.now());
    fleet
        .client(cluster)
        .genericKubernetesResources(WellKnownCustomResources.FLUX_HELM_RELEASE)
        .inNamespace(namespace)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("helm.toolkit.fluxcd.io/v2")
                .withKind("HelmRelease")
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withAnnotations(Map.of(HealthAssessment.DIGEST_ANNOTATION, applied.getDigest()))
                .endMetadata()
                .withAdditionalProperties(
                    Map.of(
                        "spec",
                        Map.of(
                            "chart", Map.of("spec", Map.of("chart", chart, "version", "1.0.0")))))
                .build())
        .create();
    return applied;
  }

  void send(StepApplied applied) {
    TestRecords.sendEvent(
        broker.bootstrapServers(),
        registry.url(),
        Topic.STEP_APPLIED.topicName(),
        cluster,
        applied);
  }

  /** The verdicts on {@code stepId} the tap has read so far. */
  static List<ComponentVerified> verdicts(EventTap tap, String stepId) {
    return tap.values(ComponentVerified.class).stream()
        .filter(v -> stepId.equals(v.getStepId()))
        .toList();
  }

  static ComponentVerified awaitVerdict(EventTap tap, String stepId) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !verdicts(tap, stepId).isEmpty());
    return verdicts(tap, stepId).get(0);
  }

  /** Until the verifier has read the log of every partition, steps are registered, not judged. */
  static void awaitLive(ConfigurableApplicationContext verifier) {
    HealthWatch watch = verifier.getBean(HealthWatch.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> watch.livePartitions() == Topic.STEP_APPLIED.partitions());
  }
}
