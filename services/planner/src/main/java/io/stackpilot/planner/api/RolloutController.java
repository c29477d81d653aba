package io.stackpilot.planner.api;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.ValidationFinding;
import io.stackpilot.planner.Admission;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.StackSpec;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a platform team declares what it wants: a stack and a fleet as YAML. A declaration that
 * passes admission is recorded as a desired-state-changed event, which starts a rollout; one that
 * does not is answered 400 (structure) or 422 (blocking rules) with every field at fault, and
 * nothing is written. {@code dryRun=true} returns the plan and the findings without writing.
 */
@RestController
@RequestMapping("/api/v1")
public class RolloutController {
  public static final String ACTOR_HEADER = "Stackpilot-Actor";
  public static final String REASON_HEADER = "Stackpilot-Reason";

  private final Admission admission;
  private final Envelopes envelopes;
  private final EventPublisher publisher;

  public RolloutController(Admission admission, Envelopes envelopes, EventPublisher publisher) {
    this.admission = admission;
    this.envelopes = envelopes;
    this.publisher = publisher;
  }

  /** What the caller gets back: the rollout to follow on the topics, or the plan of a dry run. */
  public record Accepted(
      String rolloutId,
      String eventId,
      String stack,
      List<String> components,
      List<String> clusters,
      int steps,
      String specRevision,
      boolean dryRun,
      List<PlannedWave> waves,
      List<PlannedStep> plan,
      List<FindingView> findings) {}

  /** A wave of the plan, as the API shows it. */
  public record PlannedWave(int index, String name, List<String> clusters, int soakSeconds) {}

  /** A step of the plan, as the API shows it. */
  public record PlannedStep(
      String stepId,
      int wave,
      String cluster,
      String component,
      int order,
      List<String> dependsOn,
      String digest) {}

  /** A finding, as the API shows it. */
  public record FindingView(
      String ruleId,
      String severity,
      String field,
      String message,
      String hint,
      String seed,
      String overriddenBy) {
    static FindingView of(ValidationFinding f) {
      return new FindingView(
          f.getRuleId(),
          f.getSeverity().name(),
          f.getField(),
          f.getMessage(),
          f.getHint(),
          f.getSeed(),
          f.getOverriddenBy());
    }
  }

  @PostMapping(
      path = "/rollouts",
      consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
  public ResponseEntity<Accepted> declare(
      @RequestBody(required = false) String documents,
      @RequestHeader(name = ACTOR_HEADER, defaultValue = "api:anonymous") String actor,
      @RequestHeader(name = REASON_HEADER, defaultValue = "declared through the API") String reason,
      @RequestParam(name = "dryRun", defaultValue = "false") boolean dryRun,
      @RequestParam(name = "override", required = false) List<String> override) {
    if (documents == null || documents.isBlank()) {
      throw SpecException.of("document", "empty: expected an ObservabilityStack and a Fleet");
    }
    String rolloutId = UUID.randomUUID().toString();
    Set<String> overridden = override == null ? Set.of() : new LinkedHashSet<>(override);
    Admission.Admitted admitted =
        admission.admit(documents, rolloutId, new Admission.Overrides(actor, reason, overridden));
    StackSpec stack = admitted.declared().stack();
    List<String> components =
        stack.spec().components().stream().map(StackSpec.Component::name).toList();
    Plan plan = admitted.plan();
    List<String> clusters = plan.waves().stream().flatMap(w -> w.clusters().stream()).toList();
    String specRevision = "sha256:" + RolloutPlanner.sha256(admitted.declared().stackYaml());
    List<FindingView> findings = admitted.findings().stream().map(FindingView::of).toList();
    if (dryRun) {
      return ResponseEntity.ok(
          new Accepted(
              null,
              null,
              stack.metadata().name(),
              components,
              clusters,
              plan.steps().size(),
              specRevision,
              true,
              waves(plan),
              steps(plan),
              findings));
    }
    DesiredStateChanged change =
        DesiredStateChanged.newBuilder()
            .setEnvelope(envelopes.root(actor, rolloutId))
            .setStackName(stack.metadata().name())
            .setSpecRevision(specRevision)
            .setFleetRevision("sha256:" + RolloutPlanner.sha256(admitted.declared().fleetYaml()))
            .setReason(reason)
            .setStackSpec(admitted.declared().stackYaml())
            .setFleetSpec(admitted.declared().fleetYaml())
            .setChangedComponents(components)
            .setFindings(admitted.findings())
            .build();
    publisher.publish(change);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(
            new Accepted(
                rolloutId,
                change.getEnvelope().getEventId(),
                stack.metadata().name(),
                components,
                clusters,
                plan.steps().size(),
                specRevision,
                false,
                waves(plan),
                List.of(),
                findings));
  }

  private static List<PlannedWave> waves(Plan plan) {
    return plan.waves().stream()
        .map(w -> new PlannedWave(w.index(), w.name(), w.clusters(), w.soakSeconds()))
        .toList();
  }

  private static List<PlannedStep> steps(Plan plan) {
    return plan.steps().stream()
        .map(
            s ->
                new PlannedStep(
                    s.stepId(),
                    s.waveIndex(),
                    s.cluster(),
                    s.component(),
                    s.order(),
                    s.dependsOn(),
                    s.digest()))
        .toList();
  }
}
