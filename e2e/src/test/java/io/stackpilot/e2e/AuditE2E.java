package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.awaitEnd;
import static io.stackpilot.e2e.RolloutEvents.gateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.history.FleetHistory;
import io.stackpilot.history.LiveReadModel;
import io.stackpilot.history.RecordedEvent;
import io.stackpilot.history.SandboxReplay;
import io.stackpilot.history.TopicRangeReader;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.stackctl.Stackctl;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * The audit of a recorded run answers from the topics alone. The real planner, applier and verifier
 * roll a two-component stack out to three simulated clusters, then a second revision whose second
 * wave fails its gate (the verifier's read of the wave's tempo HelmRelease is refused once, as in
 * RollbackE2E) and is rolled back. Then: {@code stackctl audit --rollout} lists every event of that
 * rollout in causal order with actor and reason; a live read model, which applied the events as its
 * consumer got them, equals the point-in-time state at every event of the run; two sandboxed
 * replays of the same range give the same bytes and hash and write no cluster; and the HTML report
 * renders in headless Chromium with its timeline in the DOM and on a screenshot.
 */
@ExtendWith(RealKafkaExtension.class)
class AuditE2E {
  static final String CANARY = "au-canary";
  static final String ONE = "au-one";
  static final String TWO = "au-two";
  static final List<String> CLUSTERS = List.of(CANARY, ONE, TWO);
  static final String NAMESPACE = "audit-system";
  static final int SOAK_SECONDS = 5;
  static final RollbackScenario SCENARIO =
      new RollbackScenario(NAMESPACE, CANARY, ONE, TWO, SOAK_SECONDS);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path REPORTS = Path.of("target", "audit").toAbsolutePath();

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static final List<LiveReadModel.Checkpoint> live = new CopyOnWriteArrayList<>();
  static FleetSimulator fleet;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;
  static LiveReadModel liveModel;

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
    // the services created the catalog's topics: follow them all from the beginning
    liveModel = new LiveReadModel(settings(), List.of(), live::add);
  }

  @AfterAll
  static void stop() {
    if (liveModel != null) {
      liveModel.close();
    }
    services.forEach(ConfigurableApplicationContext::close);
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void theAuditOfARolledBackRolloutComesFromTheTopicsAloneAndReplaysToTheSameState()
      throws Exception {
    String stack = "au-" + UUID.randomUUID().toString().substring(0, 8);
    String first;
    String second;
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      first = declare(SCENARIO.spec(stack, "1.24.0", "24h"), "audit e2e: tempo 1.24.0");
      assertThat(awaitEnd(tap, first).getPhase()).isEqualTo(RolloutPhase.COMPLETED);
      second =
          declare(SCENARIO.spec(stack, "1.25.0", "48h"), "audit e2e: tempo 1.25.0, 48h retention");
      RolloutStatusChanged gate =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> gateRequest(tap, second, 1), r -> r != null);
      SCENARIO.refuseOneRead(fleet, gate.getGate().getSubjects());
      RolloutStatusChanged end = awaitEnd(tap, second);
      assertThat(end.getPhase()).as(end.getReason()).isEqualTo(RolloutPhase.ROLLED_BACK);
    }

    // the recorded run: the whole log, once the live model has applied all of it
    TopicRangeReader.Loaded recorded = awaitLiveModelCaughtUp();
    FleetHistory history = recorded.history();
    assertThat(recorded.skipped()).isEmpty();
    System.out.printf(
        "AuditE2E: recorded run of %d events (rollouts %s, %s)%n",
        recorded.events().size(), first, second);

    auditListsEveryEventOfTheRolloutInCausalOrderWithActorAndReason(history, second);
    pointInTimeStateEqualsTheLiveReadModelAtEveryEvent(recorded);
    aClustersStateAtAnInstantIsWhatItRanThen(history, second);
    twoReplaysGiveTheSameBytesAndWriteNoCluster(recorded);
    theHtmlReportShowsTheTimelineInHeadlessChromium(history, second);
  }

  private void auditListsEveryEventOfTheRolloutInCausalOrderWithActorAndReason(
      FleetHistory history, String rollout) throws Exception {
    Cli cli = stackctl("audit", "--rollout", rollout, "-o", "json");
    assertThat(cli.code()).as(cli.err()).isZero();
    JsonNode events = JSON.readTree(cli.out()).path("events");
    List<JsonNode> entries = new ArrayList<>();
    events.forEach(entries::add);
    Cli table = stackctl("audit", "--rollout", rollout);
    assertThat(table.code()).as(table.err()).isZero();
    Files.createDirectories(REPORTS);
    Files.writeString(REPORTS.resolve("audit-rollout.txt"), table.out());
    // the planner's REST endpoint gives the same timeline, read from the topics the same way
    HttpResponse<String> rest = api.get("/api/v1/audit?rollout=" + rollout + "&format=json");
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    assertThat(JSON.readTree(rest.body()).path("events")).isEqualTo(events);
    HttpResponse<String> badInstant = api.get("/api/v1/audit?rollout=" + rollout + "&since=today");
    assertThat(badInstant.statusCode()).isEqualTo(400);
    assertThat(badInstant.body()).contains("since");

    // every event the topics hold for the rollout, once each
    Set<String> recordedIds =
        history.events().stream()
            .filter(e -> rollout.equals(e.envelope().getCorrelationId()))
            .map(e -> e.envelope().getEventId())
            .collect(Collectors.toSet());
    assertThat(entries).extracting(e -> e.path("eventId").asText()).hasSize(recordedIds.size());
    assertThat(entries)
        .extracting(e -> e.path("eventId").asText())
        .containsExactlyInAnyOrderElementsOf(recordedIds);
    // causal order: a cause is listed before each of its effects
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      index.put(entries.get(i).path("eventId").asText(), i);
    }
    int caused = 0;
    for (int i = 0; i < entries.size(); i++) {
      Integer cause = index.get(entries.get(i).path("causationId").asText());
      if (cause != null) {
        assertThat(cause).as("cause of entry %d", i).isLessThan(i);
        caused++;
      }
    }
    // most events were caused by another event of the rollout (timers start the others)
    assertThat(caused).isGreaterThanOrEqualTo(entries.size() * 3 / 4);
    assertThat(entries).allSatisfy(e -> assertThat(e.path("actor").asText()).isNotBlank());

    // the story, in order: declared by whom and why (with the spec diff), planned, applied,
    // the failed gate and its reason, the roll-back and its reason
    JsonNode declared = entries.get(0);
    assertThat(declared.path("type").asText()).isEqualTo("DesiredStateChanged");
    assertThat(declared.path("actor").asText()).isEqualTo("user:e2e");
    assertThat(declared.path("reason").asText())
        .isEqualTo("audit e2e: tempo 1.25.0, 48h retention");
    assertThat(declared.path("specDiff").asText())
        .contains("-        retention: \"24h\"\n", "+        retention: \"48h\"\n")
        .contains("-      version: \"1.24.0\"\n", "+      version: \"1.25.0\"\n");
    int planned = indexOf(entries, "RolloutPlanned", "", 0);
    int gate = indexOf(entries, "GateDecided", "gate wave 1", 0);
    JsonNode gateEntry = entries.get(gate);
    assertThat(gateEntry.path("summary").asText()).contains("ROLL_BACK", ONE);
    assertThat(gateEntry.path("actor").asText()).isNotBlank();
    assertThat(gateEntry.path("reason").asText()).contains(ONE + "/tempo");
    int waveFailed = indexOf(entries, "RolloutStatusChanged", "WAVE_FAILED wave 1", 0);
    assertThat(entries.get(waveFailed).path("reason").asText())
        .contains("ROLL_BACK", ONE + "/tempo");
    int rollbackStarted = indexOf(entries, "RolloutStatusChanged", "ROLLBACK_STARTED", 0);
    assertThat(entries.get(rollbackStarted).path("reason").asText()).isNotBlank();
    int undo = indexOf(entries, "StepRequested", "requested ROLL_BACK tempo", 0);
    int undone = indexOf(entries, "StepApplied", "applied ROLL_BACK tempo", 0);
    assertThat(entries.get(undone).path("cluster").asText()).isEqualTo(ONE);
    int rolledBack = indexOf(entries, "RolloutStatusChanged", "ROLLED_BACK wave 1", 0);
    assertThat(entries.get(rolledBack).path("reason").asText()).isNotBlank();
    assertThat(List.of(0, planned, gate, waveFailed, undo, undone, rolledBack)).isSorted();
    assertThat(List.of(gate, rollbackStarted, rolledBack)).isSorted();
    assertThat(entries)
        .filteredOn(e -> e.path("type").asText().equals("StepApplied"))
        .allSatisfy(e -> assertThat(e.path("digests")).hasSize(1));
    assertThat(table.out()).contains("GateDecided", "ROLLBACK_STARTED", "    | +", "events");
    System.out.printf(
        "AuditE2E: audit of rollout %s: %d events (%d caused by another of them), gate #%d,"
            + " rollback #%d..#%d%n",
        rollout, entries.size(), caused, gate + 1, rollbackStarted + 1, rolledBack + 1);
  }

  private void pointInTimeStateEqualsTheLiveReadModelAtEveryEvent(
      TopicRangeReader.Loaded recorded) {
    FleetHistory history = recorded.history();
    List<LiveReadModel.Checkpoint> inRange =
        live.stream().filter(c -> within(c.cut(), recorded.endOffsets())).toList();
    assertThat(inRange).hasSize(recorded.events().size());
    // the live consumer read the partitions interleaved its own way, not in the log's order
    List<String> liveOrder = inRange.stream().map(c -> c.event().position()).toList();
    List<String> logOrder = history.events().stream().map(RecordedEvent::position).toList();
    long reordered =
        java.util.stream.IntStream.range(0, liveOrder.size())
            .filter(i -> !liveOrder.get(i).equals(logOrder.get(i)))
            .count();
    int compared = 0;
    for (LiveReadModel.Checkpoint checkpoint : inRange) {
      assertThat(history.stateAt(checkpoint.cut()).hash())
          .as("state after %s (%s)", checkpoint.event().position(), checkpoint.event().type())
          .isEqualTo(checkpoint.hash());
      compared++;
    }
    assertThat(compared).isEqualTo(recorded.events().size());
    assertThat(inRange.get(inRange.size() - 1).hash()).isEqualTo(history.state().hash());
    System.out.printf(
        "AuditE2E: live read model = point-in-time state at all %d events (%d read in another"
            + " order than occurredAt/position); final %s%n",
        compared, reordered, history.state().hash());
  }

  private void aClustersStateAtAnInstantIsWhatItRanThen(FleetHistory history, String rollout)
      throws Exception {
    StepApplied upgrade =
        (StepApplied)
            history.events().stream()
                .map(RecordedEvent::event)
                .filter(e -> e instanceof StepApplied)
                .map(e -> (StepApplied) e)
                .filter(a -> rollout.equals(a.getEnvelope().getCorrelationId()))
                .filter(a -> ONE.equals(a.getEnvelope().getCluster()))
                .filter(a -> a.getComponent().equals("tempo") && a.getAction() == StepAction.APPLY)
                .findFirst()
                .orElseThrow();
    String then = upgrade.getEnvelope().getOccurredAt().toString();
    JsonNode during =
        JSON.readTree(stackctl("audit", "--cluster", ONE, "--at", then, "-o", "json").out());
    JsonNode tempoThen = tempo(during);
    assertThat(tempoThen.path("chartVersion").asText()).isEqualTo("1.25.0");
    assertThat(tempoThen.path("digest").asText()).isEqualTo(upgrade.getDigest());

    String now =
        history.events().get(history.events().size() - 1).envelope().getOccurredAt().toString();
    Cli after = stackctl("audit", "--cluster", ONE, "--at", now, "-o", "json");
    JsonNode tempoNow = tempo(JSON.readTree(after.out()));
    assertThat(tempoNow.path("chartVersion").asText()).isEqualTo("1.24.0");
    assertThat(tempoNow.path("digest").asText()).isNotEqualTo(upgrade.getDigest());
    assertThat(tempoNow.path("lastStep").path("action").asText()).isEqualTo("ROLL_BACK");
    assertThat(tempoNow.path("lastStep").path("outcome").asText()).isEqualTo("APPLIED");
    assertThat(
            JSON.readTree(after.out()).path("state").path("latestGate").path("decision").asText())
        .isEqualTo("ROLL_BACK");
    Cli table = stackctl("audit", "--cluster", ONE, "--at", now);
    Files.writeString(REPORTS.resolve("state-" + ONE + ".txt"), table.out());
    assertThat(table.out())
        .contains("tempo", "1.24.0", "ROLL_BACK APPLIED", "latest gate: ROLL_BACK");
  }

  private void twoReplaysGiveTheSameBytesAndWriteNoCluster(TopicRangeReader.Loaded recorded) {
    CLUSTERS.forEach(fleet::resetWrites);
    TopicRangeReader.Range range =
        TopicRangeReader.Range.everything().endingAt(recorded.endOffsets());
    String run = UUID.randomUUID().toString().substring(0, 8);

    SandboxReplay.Result a = SandboxReplay.run(settings(), "audit-a-" + run, range);
    SandboxReplay.Result b = SandboxReplay.run(settings(), "audit-b-" + run, range);

    assertThat(a.events()).isEqualTo(recorded.events().size()).isEqualTo(b.events());
    assertThat(a.hash()).isEqualTo(b.hash()).isEqualTo(recorded.history().state().hash());
    assertThat(a.canonical()).isEqualTo(b.canonical());
    assertThat(a.consumerGroup()).isEqualTo("sandbox.audit-a-" + run + ".replay");
    assertThat(a.outputTopic()).isEqualTo("sandbox.audit-a-" + run + ".fleet-state");
    List<String> writtenA = SandboxReplay.readBack(settings(), a.outputTopic());
    List<String> writtenB = SandboxReplay.readBack(settings(), b.outputTopic());
    // one record per cluster of the range (other tests' clusters share the broker) and _fleet
    assertThat(writtenA).isEqualTo(writtenB);
    assertThat(writtenA).anySatisfy(r -> assertThat(r).startsWith("_fleet="));
    for (String cluster : CLUSTERS) {
      assertThat(writtenA).anySatisfy(r -> assertThat(r).startsWith(cluster + "="));
    }
    assertThat(writtenA).hasSize(recorded.history().state().clusters().size() + 1);
    // no service code ran: no cluster was written to
    for (String cluster : CLUSTERS) {
      assertThat(fleet.writes(cluster)).as("writes to %s", cluster).isEmpty();
    }
    System.out.printf(
        "AuditE2E: replays %s and %s of %d events: %s and %s, %d canonical bytes each%n",
        a.sandboxId(), b.sandboxId(), a.events(), a.hash(), b.hash(), a.canonical().length);
  }

  private void theHtmlReportShowsTheTimelineInHeadlessChromium(FleetHistory history, String rollout)
      throws Exception {
    Path html = REPORTS.resolve("audit-" + rollout + ".html");
    Cli cli = stackctl("audit", "--rollout", rollout, "-o", "html", "--file", html.toString());
    assertThat(cli.code()).as(cli.err()).isZero();
    String page = Files.readString(html);
    assertThat(page).contains("<style>").doesNotContain("<script", "<link", "src=\"http");

    HeadlessChromium chromium = HeadlessChromium.in(REPORTS.resolve("chromium"));
    String dom = chromium.dumpDom(html);
    String gateId =
        history.events().stream()
            .filter(e -> rollout.equals(e.envelope().getCorrelationId()))
            .filter(e -> e.type().equals("GateDecided"))
            .map(e -> e.envelope().getEventId())
            .reduce((x, y) -> y)
            .orElseThrow();
    assertThat(dom)
        .contains("id=\"timeline\"", "id=\"event-" + gateId + "\"")
        .contains("GateDecided", "ROLLBACK_STARTED", "ROLLED_BACK", "user:e2e");
    // the outcome, above the timeline: the failed gate, links to it, and the roll-back
    String outcome = dom.substring(dom.indexOf("id=\"outcome\""), dom.indexOf("id=\"timeline\""));
    assertThat(outcome)
        .contains("href=\"#event-" + gateId + "\"", "ROLL_BACK", ONE + "/tempo")
        .contains("WAVE_FAILED wave 1", "ROLLED_BACK wave 1");
    long rendered = dom.split("<li class=\"event ", -1).length - 1L;
    long recorded =
        history.events().stream()
            .filter(e -> rollout.equals(e.envelope().getCorrelationId()))
            .count();
    assertThat(rendered).isEqualTo(recorded);

    Path blank = REPORTS.resolve("blank.html");
    Files.writeString(blank, "<!DOCTYPE html><html><body></body></html>");
    Path blankPng = REPORTS.resolve("blank.png");
    Path png = REPORTS.resolve("audit-" + rollout + ".png");
    chromium.screenshot(blank, blankPng, 1200, 1600);
    chromium.screenshot(html, png, 1200, 1600);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    assertThat((long) bytes.length)
        .as("the report's screenshot against a blank page's")
        .isGreaterThan(3 * Files.size(blankPng));
    Path kept = Path.of("target", "audit-report.png").toAbsolutePath();
    Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf(
        "AuditE2E: report %s, %d entries in the rendered DOM, screenshot %s (%d bytes; blank page %d)%n",
        html, rendered, kept, bytes.length, Files.size(blankPng));
  }

  private static JsonNode tempo(JsonNode atState) {
    JsonNode stacks = atState.path("state").path("stacks");
    assertThat(stacks.size()).as(atState.toString()).isGreaterThan(0);
    JsonNode found = null;
    for (JsonNode components : stacks) {
      if (components.has("tempo")) {
        found = components.path("tempo");
      }
    }
    assertThat(found).as(atState.toString()).isNotNull();
    return found;
  }

  private static int indexOf(List<JsonNode> entries, String type, String summary, int from) {
    for (int i = from; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      if (e.path("type").asText().equals(type) && e.path("summary").asText().contains(summary)) {
        return i;
      }
    }
    throw new AssertionError(
        "no "
            + type
            + " '"
            + summary
            + "' among "
            + entries.stream()
                .map(e -> e.path("type").asText() + ": " + e.path("summary").asText())
                .toList());
  }

  /**
   * Reads the whole log until the live read model has applied exactly its events: the run has
   * settled, and the live model's checkpoints cover the range.
   */
  private static TopicRangeReader.Loaded awaitLiveModelCaughtUp() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> new TopicRangeReader(settings()).read(TopicRangeReader.Range.everything()),
            loaded ->
                live.stream().filter(c -> within(c.cut(), loaded.endOffsets())).count()
                        == loaded.events().size()
                    && !loaded.events().isEmpty());
  }

  private static boolean within(Map<TopicPartition, Long> cut, Map<TopicPartition, Long> end) {
    return cut.entrySet().stream().allMatch(e -> e.getValue() <= end.getOrDefault(e.getKey(), 0L));
  }

  private static TopicRangeReader.Settings settings() {
    return new TopicRangeReader.Settings(broker.bootstrapServers(), registry.url());
  }

  /** One stackctl invocation in this JVM, against the test's broker and registry. */
  record Cli(int code, String out, String err) {}

  private static Cli stackctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--bootstrap-servers", broker.bootstrapServers(), "--registry-url", registry.url()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Stackctl());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(all.toArray(String[]::new));
    return new Cli(code, out.toString(), err.toString());
  }

  private String declare(String yaml, String reason) throws Exception {
    HttpResponse<String> accepted = api.declare(yaml, "", reason);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return PlannerApi.rolloutId(accepted);
  }
}
