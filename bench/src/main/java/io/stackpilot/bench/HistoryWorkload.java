package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.Channel;
import io.stackpilot.events.ChartRef;
import io.stackpilot.events.ComponentChange;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.DriftDetected;
import io.stackpilot.events.DriftStatus;
import io.stackpilot.events.DriftedObject;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateCriteria;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.GateFailurePolicy;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.ObjectDrift;
import io.stackpilot.events.PlannedStep;
import io.stackpilot.events.PlannedWave;
import io.stackpilot.events.RenderDriver;
import io.stackpilot.events.ResourceHealth;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.RolloutProgress;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * A recorded Stackpilot history for {@link HistoryBenchmark}: one stack on a fleet of clusters,
 * rolled out again and again, wave by wave behind gates, with the events the four services write
 * (declaration, plan, status transitions, step requests and results, verdicts, gate decisions,
 * occasional retried failures, alerts, drift and notifications). Ids, correlation and causation are
 * consistent: every event names its rollout and the event that caused it, and occurs after it. The
 * history depends only on the seed, so its state hash is the same in every run.
 */
final class HistoryWorkload {
  static final String STACK = "lgtm";
  static final String NAMESPACE = "observability";
  static final String RECEIVER = "platform-team";
  private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
  private static final List<String> USERS = List.of("alice", "bob", "chen", "dana");

  /** Where every generated event goes, in generation order. */
  @FunctionalInterface
  interface Sink {
    void accept(Topic topic, SpecificRecord event) throws Exception;
  }

  private final List<String> clusters;
  private final int components;
  private final Random random;
  private final Sink sink;
  private final String fleetSpec;
  private final Map<Topic, Long> counts = new EnumMap<>(Topic.class);
  private final Map<String, String> digests = new HashMap<>();
  private final int[] versions;
  private long events;
  private int rollouts;

  HistoryWorkload(List<String> clusters, int components, long seed, Sink sink) {
    this.clusters = clusters;
    this.components = components;
    this.random = new Random(seed);
    this.sink = sink;
    this.versions = new int[components];
    StringBuilder fleet = new StringBuilder("kind: Fleet\nmetadata: {name: prod}\nclusters:\n");
    for (int i = 0; i < clusters.size(); i++) {
      fleet.append(
          String.format(
              "- name: %s%n  context: %s%n  tenant: %s%n  labels: {region: eu-%d, tier: %s}%n",
              clusters.get(i), clusters.get(i), tenant(i), i % 4, i < 10 ? "canary" : "prod"));
    }
    this.fleetSpec = fleet.toString();
  }

  /** Generates whole rollouts until at least {@code target} events were written. */
  void generate(long target) throws Exception {
    while (events < target) {
      rollout(rollouts++);
    }
  }

  long events() {
    return events;
  }

  int rollouts() {
    return rollouts;
  }

  Map<Topic, Long> counts() {
    return counts;
  }

  /** The waves of every rollout: a canary cluster, then batches of 10% of the fleet. */
  List<List<String>> waves() {
    List<List<String>> waves = new ArrayList<>();
    waves.add(clusters.subList(0, 1));
    int batch = Math.max(1, clusters.size() / 10);
    for (int from = 1; from < clusters.size(); from += batch) {
      waves.add(clusters.subList(from, Math.min(clusters.size(), from + batch)));
    }
    return waves;
  }

  /** The first rollout installs every component; each later one upgrades one or two. */
  private List<Integer> changed(int r) {
    List<Integer> changed = new ArrayList<>();
    if (r == 0) {
      for (int c = 0; c < components; c++) {
        changed.add(c);
      }
      return changed;
    }
    changed.add((r * 3) % components);
    int second = (r * 5 + 1) % components;
    if (r % 3 == 0 && second != changed.get(0)) {
      changed.add(second);
    }
    changed.sort(Integer::compare);
    return changed;
  }

  private void rollout(int r) throws Exception {
    String rollout = "rollout-" + uuid();
    String user = "user:" + USERS.get(r % USERS.size());
    long t = T0.toEpochMilli() + r * 6L * 3600 * 1000;
    List<Integer> changed = changed(r);
    changed.forEach(c -> versions[c]++);
    List<List<String>> waves = waves();
    List<String> names = changed.stream().map(c -> ApplyWorkload.COMPONENTS.get(c)).toList();

    String reason =
        (r == 0 ? "install " : "upgrade ") + String.join(", ", names) + " (change " + r + ")";
    DesiredStateChanged declared =
        DesiredStateChanged.newBuilder()
            .setEnvelope(env(t, user, null, rollout, null, "planner"))
            .setStackName(STACK)
            .setSpecRevision(digest())
            .setFleetRevision("sha256:" + Integer.toHexString(fleetSpec.hashCode()))
            .setReason(reason)
            .setStackSpec(stackSpec())
            .setFleetSpec(fleetSpec)
            .setChangedComponents(names)
            .build();
    emit(Topic.DESIRED_STATE, declared);

    // every step of the rollout, with its digest, planned up front as the planner does
    int stepsTotal = 0;
    List<PlannedStep> planned = new ArrayList<>();
    Map<String, String> stepDigests = new HashMap<>();
    for (int w = 0; w < waves.size(); w++) {
      for (String cluster : waves.get(w)) {
        for (int c : changed) {
          String component = ApplyWorkload.COMPONENTS.get(c);
          String stepId = rollout + "/" + cluster + "/" + component;
          String digest = digest();
          stepDigests.put(stepId, digest);
          String previous = digests.get(cluster + "/" + component);
          planned.add(
              PlannedStep.newBuilder()
                  .setStepId(stepId)
                  .setWaveIndex(w)
                  .setCluster(cluster)
                  .setComponent(component)
                  .setOrder(c)
                  .setDependsOn(List.of())
                  .setDigest(digest)
                  .setChange(previous == null ? ComponentChange.INSTALL : ComponentChange.UPGRADE)
                  .setPreviousDigest(previous)
                  .build());
          stepsTotal++;
        }
      }
    }
    List<PlannedWave> plannedWaves = new ArrayList<>();
    for (int w = 0; w < waves.size(); w++) {
      plannedWaves.add(new PlannedWave(w, w == 0 ? "canary" : "batch-" + w, waves.get(w), 300, 0));
    }
    RolloutPlanned plan =
        RolloutPlanned.newBuilder()
            .setEnvelope(env(t + 150, "service:planner", null, rollout, id(declared), "planner"))
            .setStackName(STACK)
            .setSpecRevision(declared.getSpecRevision())
            .setFleetRevision(declared.getFleetRevision())
            .setWaves(plannedWaves)
            .setSteps(planned)
            .setGate(new GateCriteria(300, true, false, 2.0, GateFailurePolicy.HALT))
            .build();
    emit(Topic.ROLLOUTS, plan);
    planned = null; // not needed any more: a plan of 8,000 steps holds a megabyte

    RolloutProgress progress = new RolloutProgress(waves.size(), 0, stepsTotal, 0, 0, 0, 0);
    SpecificRecord cause =
        status(
            t + 300,
            rollout,
            id(plan),
            RolloutTransition.STARTED,
            RolloutPhase.PROGRESSING,
            null,
            List.of(),
            "planned " + stepsTotal + " steps in " + waves.size() + " waves",
            progress);
    t += 1_000;
    for (int w = 0; w < waves.size(); w++) {
      List<String> wave = waves.get(w);
      RolloutStatusChanged started =
          status(
              t,
              rollout,
              id(cause),
              RolloutTransition.WAVE_STARTED,
              RolloutPhase.PROGRESSING,
              w,
              wave,
              "wave " + w + " started",
              progress);
      long at = t + 10;
      String lastHealthy = id(started);
      for (String cluster : wave) {
        for (int c : changed) {
          String component = ApplyWorkload.COMPONENTS.get(c);
          String stepId = rollout + "/" + cluster + "/" + component;
          String digest = stepDigests.get(stepId);
          lastHealthy = step(at, rollout, id(started), w, cluster, c, stepId, digest);
          digests.put(cluster + "/" + component, digest);
          progress.setStepsRequested(progress.getStepsRequested() + 1);
          progress.setStepsApplied(progress.getStepsApplied() + 1);
          progress.setStepsHealthy(progress.getStepsHealthy() + 1);
          at += 20;
        }
      }
      // after the wave's last verdict: at most 1.5 + 5 (a retried failure) + 35 s after its request
      at += 45_000;
      RolloutStatusChanged requested =
          status(
              at,
              rollout,
              lastHealthy,
              RolloutTransition.GATE_REQUESTED,
              RolloutPhase.GATING,
              w,
              wave,
              "soak 300 s, then require healthy",
              progress);
      at += 300_000;
      String gateCause = id(requested);
      if (r % 10 == 7 && w == Math.min(2, waves.size() - 1)) {
        gateCause = held(at, rollout, gateCause, w, wave);
        at += 600_000;
      }
      GateDecided gate =
          gate(
              at,
              rollout,
              gateCause,
              w,
              wave,
              GateDecision.PROMOTE,
              List.of("every step healthy (" + wave.size() * changed.size() + ")", "soak passed"));
      notify(at + 50, rollout, id(gate), "gate PROMOTE wave " + w, id(gate));
      progress.setWavesPromoted(w + 1);
      cause =
          status(
              at + 100,
              rollout,
              id(gate),
              RolloutTransition.WAVE_PROMOTED,
              RolloutPhase.PROGRESSING,
              w,
              wave,
              "wave " + w + " promoted",
              progress);
      t = at + 1_000;
    }
    RolloutStatusChanged done =
        status(
            t,
            rollout,
            id(cause),
            RolloutTransition.COMPLETED,
            RolloutPhase.COMPLETED,
            null,
            List.of(),
            "all waves promoted",
            progress);
    notify(t + 50, rollout, id(done), "rollout completed", id(done));
    drift(t + 3_600_000L, rollout);
  }

  /** One step: requested, applied (a retriable failure first, 1 in 200), verified twice. */
  private String step(
      long at,
      String rollout,
      String cause,
      int wave,
      String cluster,
      int c,
      String stepId,
      String digest)
      throws Exception {
    String component = ApplyWorkload.COMPONENTS.get(c);
    StepRequested request =
        StepRequested.newBuilder()
            .setEnvelope(env(at, "service:planner", cluster, rollout, cause, "planner"))
            .setStepId(stepId)
            .setWaveIndex(wave)
            .setComponent(component)
            .setNamespace(NAMESPACE)
            .setAction(StepAction.APPLY)
            .setChart(chart(c))
            .setValues(values(component, cluster))
            .setDigest(digest)
            .setPreviousDigest(digests.get(cluster + "/" + component))
            .setStackName(STACK)
            .setComponentType(component)
            .setDriver(RenderDriver.FLUX)
            .setOrder(c)
            .setValuesJson(valuesJson(component, cluster))
            .build();
    emit(Topic.STEPS, request);
    List<ResourceRef> refs = refs(cluster, component);
    long appliedAt = at + 1_500;
    if (random.nextInt(200) == 0) {
      emit(
          Topic.STEP_FAILED,
          StepFailed.newBuilder()
              .setEnvelope(
                  env(at + 800, "service:applier", cluster, rollout, id(request), "applier"))
              .setStepId(stepId)
              .setComponent(component)
              .setDigest(digest)
              .setReason("Conflict")
              .setMessage(
                  "Operation cannot be fulfilled on helmreleases \""
                      + component
                      + "\": the object has been modified; please apply your changes again")
              .setRetriable(true)
              .setAttempt(1)
              .setResources(refs.subList(0, 1))
              .build());
      appliedAt += 5_000;
    }
    StepApplied applied =
        StepApplied.newBuilder()
            .setEnvelope(
                env(appliedAt, "service:applier", cluster, rollout, id(request), "applier"))
            .setStepId(stepId)
            .setComponent(component)
            .setDigest(digest)
            .setResources(refs)
            .setDurationMillis(200 + random.nextInt(1_500))
            .setAction(StepAction.APPLY)
            .build();
    emit(Topic.STEP_APPLIED, applied);
    verdict(appliedAt + 4_000, rollout, applied, HealthStatus.PROGRESSING, "1 of 2 objects ready");
    ComponentVerified healthy =
        verdict(appliedAt + 35_000, rollout, applied, HealthStatus.HEALTHY, "all objects ready");
    return id(healthy);
  }

  private ComponentVerified verdict(
      long at, String rollout, StepApplied applied, HealthStatus health, String reason)
      throws Exception {
    String cluster = applied.getEnvelope().getCluster();
    List<ResourceHealth> resources = new ArrayList<>();
    for (ResourceRef ref : applied.getResources()) {
      boolean ready = health == HealthStatus.HEALTHY || !ref.getKind().equals("Deployment");
      resources.add(
          new ResourceHealth(
              ref,
              ready ? HealthStatus.HEALTHY : HealthStatus.PROGRESSING,
              ready ? "ready" : "1/2 replicas available"));
    }
    ComponentVerified verdict =
        ComponentVerified.newBuilder()
            .setEnvelope(env(at, "service:verifier", cluster, rollout, id(applied), "verifier"))
            .setStepId(applied.getStepId())
            .setComponent(applied.getComponent())
            .setDigest(applied.getDigest())
            .setHealth(health)
            .setReason(reason)
            .setResources(resources)
            .build();
    emit(Topic.COMPONENT_HEALTH, verdict);
    return verdict;
  }

  /** A gate held by a burning SLO: an alert fires and is notified, resolves, and is notified. */
  private String held(long at, String rollout, String cause, int w, List<String> wave)
      throws Exception {
    String cluster = wave.get(0);
    String fingerprint = HexFormat.of().formatHex(bytes(8));
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "LokiRequestErrors");
    labels.put("severity", "warning");
    labels.put("cluster", cluster);
    labels.put("component", "loki");
    AlertStatusChanged firing =
        alert(at - 200_000, rollout, cause, cluster, fingerprint, labels, AlertStatus.FIRING);
    notify(at - 199_000, rollout, id(firing), "LokiRequestErrors firing", id(firing));
    GateDecided hold =
        gate(
            at,
            rollout,
            cause,
            w,
            wave,
            GateDecision.HOLD,
            List.of("burn rate 3.1 > 2.0 for loki on " + cluster));
    notify(at + 50, rollout, id(hold), "gate HOLD wave " + w, id(hold));
    AlertStatusChanged resolved =
        alert(at + 400_000, rollout, id(hold), cluster, fingerprint, labels, AlertStatus.RESOLVED);
    notify(at + 401_000, rollout, id(resolved), "LokiRequestErrors resolved", id(resolved));
    return id(resolved);
  }

  private AlertStatusChanged alert(
      long at,
      String rollout,
      String cause,
      String cluster,
      String fingerprint,
      Map<String, String> labels,
      AlertStatus status)
      throws Exception {
    AlertStatusChanged alert =
        AlertStatusChanged.newBuilder()
            .setEnvelope(env(at, "service:verifier", cluster, rollout, cause, "verifier"))
            .setStatus(status)
            .setFingerprint(fingerprint)
            .setLabels(labels)
            .setAnnotations(Map.of("summary", "Loki 5xx ratio above the SLO's burn rate"))
            .setStartsAt(Instant.ofEpochMilli(at))
            .setEndsAt(status == AlertStatus.RESOLVED ? Instant.ofEpochMilli(at) : null)
            .build();
    emit(Topic.ALERTS, alert);
    return alert;
  }

  /** A few components drift after a rollout and are put back an hour later. */
  private void drift(long at, String rollout) throws Exception {
    for (int i = 0; i < 3; i++) {
      String cluster = clusters.get(random.nextInt(clusters.size()));
      String component = ApplyWorkload.COMPONENTS.get(random.nextInt(components));
      String digest = digests.get(cluster + "/" + component);
      String scan = "drift-scan-" + uuid();
      DriftDetected drifted = null;
      for (DriftStatus status : List.of(DriftStatus.DRIFTED, DriftStatus.RESOLVED)) {
        drifted =
            DriftDetected.newBuilder()
                .setEnvelope(
                    env(
                        at,
                        "service:applier",
                        cluster,
                        scan,
                        drifted == null ? null : id(drifted),
                        "applier"))
                .setStackName(STACK)
                .setComponent(component)
                .setNamespace(NAMESPACE)
                .setStepId(rollout + "/" + cluster + "/" + component)
                .setDigest(digest)
                .setStatus(status)
                .setObjects(
                    status == DriftStatus.RESOLVED
                        ? List.of()
                        : List.of(
                            new DriftedObject(
                                refs(cluster, component).get(0),
                                ObjectDrift.MODIFIED,
                                List.of("spec.values.replicas"),
                                0)))
                .setCheckedObjects(2)
                .build();
        emit(Topic.DRIFT, drifted);
        at += 3_600_000L;
      }
    }
  }

  private GateDecided gate(
      long at,
      String rollout,
      String cause,
      int w,
      List<String> wave,
      GateDecision decision,
      List<String> reasons)
      throws Exception {
    List<GateEvidence> evidence = new ArrayList<>();
    for (String cluster : wave) {
      evidence.add(
          new GateEvidence(
              "health",
              cluster,
              decision == GateDecision.PROMOTE,
              decision == GateDecision.PROMOTE ? "every component healthy" : "burn rate above 2.0",
              null));
    }
    GateDecided gate =
        GateDecided.newBuilder()
            .setEnvelope(env(at, "service:verifier", null, rollout, cause, "verifier"))
            .setWaveIndex(w)
            .setClusters(wave)
            .setDecision(decision)
            .setReasons(reasons)
            .setEvidence(evidence)
            .build();
    emit(Topic.GATE_DECISIONS, gate);
    return gate;
  }

  private void notify(long at, String rollout, String cause, String group, String subject)
      throws Exception {
    emit(
        Topic.NOTIFICATIONS_SENT,
        NotificationSent.newBuilder()
            .setEnvelope(env(at, "service:notifier", null, rollout, cause, "notifier"))
            .setReceiver(RECEIVER)
            .setChannel(Channel.WEBHOOK)
            .setGroupKey(STACK + "/" + group)
            .setState(group.contains("resolved") ? "resolved" : "firing")
            .setAttempt(1)
            .setSubjectEventIds(List.of(subject))
            .setResponseStatus(200)
            .build());
  }

  private RolloutStatusChanged status(
      long at,
      String rollout,
      String cause,
      RolloutTransition transition,
      RolloutPhase phase,
      Integer wave,
      List<String> clusters,
      String reason,
      RolloutProgress progress)
      throws Exception {
    RolloutStatusChanged status =
        RolloutStatusChanged.newBuilder()
            .setEnvelope(env(at, "service:planner", null, rollout, cause, "planner"))
            .setStackName(STACK)
            .setTransition(transition)
            .setPhase(phase)
            .setWaveIndex(wave)
            .setClusters(clusters)
            .setReason(reason)
            .setProgress(RolloutProgress.newBuilder(progress).build())
            .build();
    emit(Topic.ROLLOUT_STATUS, status);
    return status;
  }

  private void emit(Topic topic, SpecificRecord event) throws Exception {
    sink.accept(topic, event);
    counts.merge(topic, 1L, Long::sum);
    events++;
  }

  private EventEnvelope env(
      long at,
      String actor,
      String cluster,
      String correlation,
      String causation,
      String producer) {
    return EventEnvelope.newBuilder()
        .setEventId(uuid())
        .setOccurredAt(Instant.ofEpochMilli(at))
        .setActor(actor)
        .setCluster(cluster)
        .setTenant(cluster == null ? null : "tenant-" + cluster.substring(cluster.length() - 4))
        .setCorrelationId(correlation)
        .setCausationId(causation)
        .setProducer(producer)
        .build();
  }

  private static String id(SpecificRecord event) {
    return Topic.envelopeOf(event).getEventId();
  }

  private ChartRef chart(int c) {
    ChartRef base = ApplyWorkload.CHARTS.get(c);
    String[] parts = base.getVersion().split("\\.");
    return new ChartRef(
        base.getRepository(),
        base.getName(),
        parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + versions[c] - 1));
  }

  private static List<ResourceRef> refs(String cluster, String component) {
    return List.of(
        new ResourceRef("helm.toolkit.fluxcd.io/v2", "HelmRelease", NAMESPACE, component, null),
        new ResourceRef("v1", "ConfigMap", NAMESPACE, component + "-values", null));
  }

  private static Map<String, String> values(String component, String cluster) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(component + ".replicas", "2");
    values.put(component + ".resources.requests.cpu", "500m");
    values.put(component + ".resources.requests.memory", "1Gi");
    values.put(component + ".podLabels.cluster", cluster);
    values.put(component + ".serviceMonitor.enabled", "true");
    return values;
  }

  private static String valuesJson(String component, String cluster) {
    return "{\""
        + component
        + "\":{\"podLabels\":{\"cluster\":\""
        + cluster
        + "\"},\"replicas\":2,\"resources\":{\"requests\":{\"cpu\":\"500m\","
        + "\"memory\":\"1Gi\"}},\"serviceMonitor\":{\"enabled\":true}}}";
  }

  private String stackSpec() {
    StringBuilder spec =
        new StringBuilder("kind: ObservabilityStack\nmetadata: {name: " + STACK + "}\nspec:\n");
    for (int c = 0; c < components; c++) {
      ChartRef chart = chart(c);
      spec.append("  ")
          .append(ApplyWorkload.COMPONENTS.get(c))
          .append(":\n")
          .append("    chart: {repository: ")
          .append(chart.getRepository())
          .append(", name: ")
          .append(chart.getName())
          .append(", version: ")
          .append(chart.getVersion())
          .append("}\n")
          .append("    values: {replicas: 2, resources: {requests: {cpu: 500m, memory: 1Gi}}}\n");
    }
    return spec.toString();
  }

  private static String tenant(int i) {
    return String.format("tenant-%04d", i + 1);
  }

  private String digest() {
    return "sha256:" + HexFormat.of().formatHex(bytes(32));
  }

  private byte[] bytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A version-4 UUID from the seeded generator, so two runs write the same ids. */
  private String uuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
