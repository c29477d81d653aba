package io.stackpilot.planner.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.ComponentChange;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiff;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import io.stackpilot.runtime.Envelopes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A step's Helm values reach the applier typed: a float, a quoted number, a "true" string, a dotted
 * key and a list survive planning, the cluster's override and the Avro encoding as declared, in
 * canonical JSON; the flattened values and their digest stay as they were; a rollback re-sends the
 * earlier revision's typed values.
 */
class TypedValuesTest {
  /**
   * What the planner writes as {@code valuesJson} for {@link #STACK} on cluster perso: the
   * applier's StepRendererTest renders this same file, so the two services are held to one form.
   */
  static final Path RENDERED_BY_APPLIER =
      Path.of("../applier/src/test/resources/golden/typed-values.json");

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  static final String VALUES =
      """
      replicas: 2
      podLabels:
        shard: "1"
      env:
        GF_ANALYTICS_REPORTING_ENABLED: "true"
      plugins: [grafana-clock-panel, grafana-polystat-panel]
      grafana.ini:
        server:
          root_url: https://${tenant}.grafana.example.org
        auth.github:
          enabled: true
        tracing.opentelemetry:
          sampler_type: probabilistic
          sampler_param: 0.1
      """;

  static final String STACK = stack(VALUES);

  static String stack(String values) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: typed}
        spec:
          components:
            - name: grafana
              type: grafana
              namespace: lgtm-system
              chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 10.1.4}
              values:
        """
        + values.indent(8)
        + """
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata: {name: homelab}
        spec:
          clusters:
            - {name: foundation, context: foundation, tenant: foundation}
            - name: perso
              context: perso
              tenant: perso
              overrides:
                grafana: {values: {grafana.ini: {tracing.opentelemetry: {sampler_param: 0.25}}}}
          rollout:
            onGateFailure: rollback-wave
        """;
  }

  static final ObjectMapper JSON = new ObjectMapper();
  final Envelopes envelopes = new Envelopes("planner", Clock.fixed(T0, ZoneOffset.UTC));
  final PlanEvents planEvents = new PlanEvents(envelopes);

  @Test
  void theStepCarriesTheMergedValuesTypedThroughTheAvroEncoding() throws Exception {
    StepRequested sent = requested(STACK, "perso");
    StepRequested received = StepRequested.getDecoder().decode(ByteBuffer.wrap(encode(sent)), null);

    String json = received.getValuesJson();
    assertThat(json).isEqualTo(Files.readString(RENDERED_BY_APPLIER).strip());
    JsonNode values = JSON.readTree(json);
    JsonNode ini = values.get("grafana.ini");
    // the override merged over the stack's values, a float staying a float
    assertThat(ini.get("tracing.opentelemetry").get("sampler_param").isDouble()).isTrue();
    assertThat(ini.get("tracing.opentelemetry").get("sampler_param").doubleValue()).isEqualTo(0.25);
    assertThat(ini.get("tracing.opentelemetry").get("sampler_type").asText())
        .isEqualTo("probabilistic");
    // dotted keys are keys, not paths
    assertThat(ini.get("auth.github").get("enabled").isBoolean()).isTrue();
    assertThat(values.has("grafana")).isFalse();
    assertThat(ini.get("server").get("root_url").textValue())
        .isEqualTo("https://perso.grafana.example.org");
    // quoted numbers and booleans stay strings, numbers stay numbers
    assertThat(values.get("podLabels").get("shard").isTextual()).isTrue();
    assertThat(values.get("podLabels").get("shard").textValue()).isEqualTo("1");
    assertThat(values.get("env").get("GF_ANALYTICS_REPORTING_ENABLED").isTextual()).isTrue();
    assertThat(values.get("replicas").isInt()).isTrue();
    assertThat(values.get("plugins").isArray()).isTrue();
    assertThat(values.get("plugins"))
        .extracting(JsonNode::textValue)
        .containsExactly("grafana-clock-panel", "grafana-polystat-panel");

    // the flattened form is unchanged: what the record ConfigMap shows and the digest covers
    assertThat(received.getValues())
        .containsEntry("grafana.ini.tracing.opentelemetry.sampler_param", "0.25")
        .containsEntry("podLabels.shard", "1")
        .containsEntry("plugins[1]", "grafana-polystat-panel")
        .containsEntry("grafana.ini.server.root_url", "https://perso.grafana.example.org");
  }

  @Test
  void theSameValuesInAnotherOrderGiveTheSameBytes() {
    String reordered =
        stack(
            """
            grafana.ini:
              tracing.opentelemetry:
                sampler_param: 0.1
                sampler_type: probabilistic
              auth.github:
                enabled: true
              server:
                root_url: https://${tenant}.grafana.example.org
            plugins: [grafana-clock-panel, grafana-polystat-panel]
            env:
              GF_ANALYTICS_REPORTING_ENABLED: "true"
            podLabels:
              shard: "1"
            replicas: 2
            """);

    String json = requested(STACK, "foundation").getValuesJson();
    assertThat(requested(reordered, "foundation").getValuesJson()).isEqualTo(json);
    assertThat(json).startsWith("{\"env\":").contains("\"auth.github\":{\"enabled\":true},");
    // each cluster its own tenant and override; foundation keeps the stack's value
    assertThat(json).contains("\"sampler_param\":0.1,").contains("https://foundation.grafana");
  }

  @Test
  void theDigestCoversTheFlattenedValuesAsBefore() {
    // computed before valuesJson existed: the digests of deployed components must not move
    assertThat(requested(STACK, "foundation").getDigest())
        .isEqualTo("sha256:" + DIGEST_BEFORE_VALUES_JSON);
  }

  /**
   * The digest of {@link #STACK}'s grafana on foundation, as the planner before valuesJson (commit
   * 750f33a) computed it.
   */
  static final String DIGEST_BEFORE_VALUES_JSON =
      "8b5178b31bf3034b561fa1dc136ccd9b3d07880228801f643c0241e9c511b577";

  @Test
  void aRolledBackStepCarriesTheEarlierRevisionsTypedValues() {
    Rollouts rollouts = new Rollouts();
    Reconciler reconciler = new Reconciler(envelopes);
    List<StepRequested> first = rollOut(rollouts, reconciler, "r1", STACK, GateDecision.PROMOTE);
    StepRequested deployed = first.get(first.size() - 1);
    assertThat(deployed.getValuesJson()).contains("\"sampler_param\":0.25");

    List<StepRequested> second =
        rollOut(
            rollouts,
            reconciler,
            "r2",
            STACK.replace("sampler_param: 0.25", "sampler_param: 0.5"),
            GateDecision.ROLL_BACK);

    StepRequested rollBack = second.get(second.size() - 1);
    assertThat(rollBack.getAction()).isEqualTo(StepAction.ROLL_BACK);
    assertThat(rollBack.getStepId()).isEqualTo("r2/perso/grafana/rollback");
    assertThat(rollBack.getDigest()).isEqualTo(deployed.getDigest());
    assertThat(rollBack.getValues()).isEqualTo(deployed.getValues());
    assertThat(rollBack.getValuesJson()).isEqualTo(deployed.getValuesJson());
  }

  /** The request of the stack's step on one cluster, as the rollout loop writes it. */
  private StepRequested requested(String yaml, String cluster) {
    SpecParser.Declared d = parse(yaml);
    Plan plan = new RolloutPlanner().plan(d.stack(), d.fleet(), "r1");
    DesiredStateChanged change = new RolloutFacts(envelopes, new Rollouts()).change("r1", "typed");
    Plan.Step step =
        plan.steps().stream().filter(s -> s.cluster().equals(cluster)).findFirst().orElseThrow();
    return planEvents.stepRequested(planEvents.rolloutPlanned(change, plan), step);
  }

  private static SpecParser.Declared parse(String yaml) {
    SpecParser.Declared d = new SpecParser().parse(yaml);
    new SpecValidator().validate(d);
    return d;
  }

  /**
   * Plans {@code yaml} against what the log says runs, and drives the rollout to its end: every
   * step applied and healthy, every gate answered {@code decision}; returns the steps requested on
   * perso.
   */
  private List<StepRequested> rollOut(
      Rollouts rollouts,
      Reconciler reconciler,
      String rolloutId,
      String yaml,
      GateDecision decision) {
    RolloutFacts facts = new RolloutFacts(envelopes, rollouts);
    SpecParser.Declared d = parse(yaml);
    Plan full = new RolloutPlanner().plan(d.stack(), d.fleet(), rolloutId);
    Plan plan = PlanDiff.diff(full, rollouts.deployments().baseline("typed")).plan();
    RolloutState r = facts.planned(facts.change(rolloutId, "typed"), plan);
    List<StepRequested> perso = new ArrayList<>();
    facts.drive(
        reconciler,
        r,
        T0,
        decision,
        s -> {
          if (s.getEnvelope().getCluster().equals("perso")) {
            perso.add(s);
          }
        });
    assertThat(r.phase())
        .isEqualTo(
            decision == GateDecision.PROMOTE ? RolloutPhase.COMPLETED : RolloutPhase.ROLLED_BACK);
    assertThat(plan.steps())
        .extracting(Plan.Step::change)
        .containsOnly(
            rolloutId.equals("r1") ? ComponentChange.INSTALL : ComponentChange.RECONFIGURE);
    return perso;
  }

  private static byte[] encode(StepRequested step) throws Exception {
    ByteBuffer buffer = StepRequested.getEncoder().encode(step);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
