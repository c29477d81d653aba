package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.FindingSeverity;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepRequested;
import io.stackpilot.events.ValidationFinding;
import io.stackpilot.planner.Admission;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.rollout.PlanEvents;
import io.stackpilot.planner.spec.StackSpec;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the planner's consumer does per recorded change, without Spring: admit the change again
 * (with the overrides it records), plan it, map the plan to one RolloutPlanned and one
 * StepRequested per step, and hand them to a producer, keyed as the topic catalog says. The change
 * itself is declared once, as the REST API records it.
 */
final class PlanWorkload {
  static final String ACTOR = "bench:plan-benchmark";
  static final String SERVICE = "planner";

  private final Admission admission = new Admission();
  private final Envelopes envelopes = new Envelopes(SERVICE, Clock.systemUTC());
  private final PlanEvents events = new PlanEvents(envelopes);
  private final DesiredStateChanged recorded;
  private final String documents;
  private final Plan firstPlan;
  private final int components;

  private PlanWorkload(DesiredStateChanged recorded, Plan firstPlan, int components) {
    this.recorded = recorded;
    // The consumer admits exactly this: the recorded stack and fleet documents, joined.
    this.documents = recorded.getStackSpec() + "\n---\n" + recorded.getFleetSpec();
    this.firstPlan = firstPlan;
    this.components = components;
  }

  /** Admits the declaration as the REST API does and records the change it would publish. */
  static PlanWorkload declare(String documents) {
    String rolloutId = UUID.randomUUID().toString();
    Admission.Admitted admitted =
        new Admission().admit(documents, rolloutId, Admission.Overrides.none());
    StackSpec stack = admitted.declared().stack();
    List<String> names = stack.spec().components().stream().map(StackSpec.Component::name).toList();
    DesiredStateChanged change =
        DesiredStateChanged.newBuilder()
            .setEnvelope(new Envelopes(SERVICE, Clock.systemUTC()).root(ACTOR, rolloutId))
            .setStackName(stack.metadata().name())
            .setSpecRevision("sha256:" + RolloutPlanner.sha256(admitted.declared().stackYaml()))
            .setFleetRevision("sha256:" + RolloutPlanner.sha256(admitted.declared().fleetYaml()))
            .setReason("plan benchmark")
            .setStackSpec(admitted.declared().stackYaml())
            .setFleetSpec(admitted.declared().fleetYaml())
            .setChangedComponents(names)
            .setFindings(admitted.findings())
            .build();
    return new PlanWorkload(change, admitted.plan(), names.size());
  }

  /** The recorded change as a new rollout: what arrives on the desired-state topic, per plan. */
  DesiredStateChanged change(String rolloutId) {
    return DesiredStateChanged.newBuilder(recorded)
        .setEnvelope(envelopes.root(ACTOR, rolloutId))
        .build();
  }

  /** Plan only: admission (parse, validate, rules) and planning. */
  Plan plan(DesiredStateChanged change) {
    return admission
        .admit(
            documents,
            change.getEnvelope().getCorrelationId(),
            Admission.recordedIn(change.getFindings()))
        .plan();
  }

  /** The events of one change's plan, as the planner publishes them. */
  Events events(DesiredStateChanged change) {
    Plan plan = plan(change);
    RolloutPlanned planned = events.rolloutPlanned(change, plan);
    return new Events(planned, events.stepsRequested(planned, plan));
  }

  /** Plan and publish one change; returns the number of StepRequested sent. */
  int publish(DesiredStateChanged change, Producer<String, Object> producer, Topics topics) {
    Events planned = events(change);
    producer.send(
        new ProducerRecord<>(
            topics.rollouts(), Topic.ROLLOUTS.keyOf(planned.rollout()), planned.rollout()));
    for (StepRequested step : planned.steps()) {
      producer.send(new ProducerRecord<>(topics.steps(), Topic.STEPS.keyOf(step), step));
    }
    return planned.steps().size();
  }

  Plan firstPlan() {
    return firstPlan;
  }

  int components() {
    return components;
  }

  int stepsPerPlan() {
    return firstPlan.steps().size();
  }

  /** Findings of the declaration, counted by severity, with their rule ids. */
  String findingsSummary() {
    List<ValidationFinding> findings = recorded.getFindings();
    long errors = findings.stream().filter(f -> f.getSeverity() == FindingSeverity.ERROR).count();
    List<String> ids = findings.stream().map(f -> f.getSeverity() + " " + f.getRuleId()).toList();
    return errors + " ERROR, " + (findings.size() - errors) + " other " + ids;
  }

  /** The documents the consumer admits per change. */
  String documents() {
    return documents;
  }

  /** One plan's events. */
  record Events(RolloutPlanned rollout, List<StepRequested> steps) {}

  /** Where plan + publish writes: bench topics standing in for the rollouts and steps topics. */
  record Topics(String rollouts, String steps) {}
}
