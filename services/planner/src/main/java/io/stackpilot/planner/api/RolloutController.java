package io.stackpilot.planner.api;

import io.opentelemetry.api.trace.Span;
import io.stackpilot.events.ValidationFinding;
import io.stackpilot.planner.Admission;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.PlanDiff;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.rollout.RolloutDriver;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.StackSpec;
import io.stackpilot.runtime.tracing.Tracing;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a platform team declares what it wants: a stack and a fleet as YAML (or a registered fleet
 * named by {@code ?fleet=}). A declaration that passes admission is diffed against what the
 * clusters run (as the log says); if it changes something it is recorded as a desired-state-changed
 * event, which starts a rollout (202). One that changes nothing is answered 200 {@code unchanged}
 * and nothing is written; one that does not pass is answered 400 (structure) or 422 (blocking
 * rules) with every field at fault; one for a stack whose last rollout is still going, 409. {@code
 * dryRun=true} returns the plan, the diff and the findings without writing.
 */
@RestController
@RequestMapping("/api/v1")
public class RolloutController {
  private static final Pattern FLEET_DOCUMENT = Pattern.compile("(?m)^kind:\\s*Fleet\\s*$");
  public static final String ACTOR_HEADER = "Stackpilot-Actor";
  public static final String REASON_HEADER = "Stackpilot-Reason";

  private final Admission admission;
  private final RolloutOrchestrator loop;
  private final RolloutDriver driver;

  public RolloutController(Admission admission, RolloutOrchestrator loop, RolloutDriver driver) {
    this.admission = admission;
    this.loop = loop;
    this.driver = driver;
  }

  /**
   * What the caller gets back: the rollout to follow, or the plan of a dry run; in both the diff
   * against what the clusters run. {@code unchanged} when there is nothing to do (and nothing was
   * written).
   */
  public record Accepted(
      String rolloutId,
      String eventId,
      String stack,
      List<String> components,
      List<String> clusters,
      int steps,
      String specRevision,
      boolean dryRun,
      boolean unchanged,
      List<PlannedWave> waves,
      List<PlannedStep> plan,
      List<DiffEntry> diff,
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
      String digest,
      String change) {}

  /** What one step changes against what the cluster runs. */
  public record DiffEntry(
      String cluster,
      String component,
      String change,
      String fromDigest,
      String toDigest,
      String fromVersion,
      String toVersion) {
    static DiffEntry of(PlanDiff.Entry e) {
      return new DiffEntry(
          e.cluster(),
          e.component(),
          e.change().name(),
          e.fromDigest(),
          e.toDigest(),
          e.fromVersion(),
          e.toVersion());
    }
  }

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
      @RequestParam(name = "override", required = false) List<String> override,
      @RequestParam(name = "fleet", required = false) String fleet) {
    if (documents == null || documents.isBlank()) {
      throw SpecException.of("document", "empty: expected an ObservabilityStack and a Fleet");
    }
    if (fleet != null) {
      documents = withRegisteredFleet(documents, fleet);
    }
    String rolloutId = UUID.randomUUID().toString();
    Span.current().setAttribute(Tracing.ROLLOUT_ID, rolloutId);
    Set<String> overridden = override == null ? Set.of() : new LinkedHashSet<>(override);
    Admission.Admitted admitted =
        admission.admit(documents, rolloutId, new Admission.Overrides(actor, reason, overridden));
    RolloutDriver.Submitted submitted =
        loop.call(
            rollouts -> driver.submit(loop, rollouts, admitted, rolloutId, actor, reason, dryRun),
            RolloutStatusController.LOOP_TIMEOUT);
    StackSpec stack = admitted.declared().stack();
    List<String> components =
        stack.spec().components().stream().map(StackSpec.Component::name).toList();
    Plan plan = submitted.diffed().plan();
    List<String> clusters = plan.waves().stream().flatMap(w -> w.clusters().stream()).toList();
    String specRevision = "sha256:" + RolloutPlanner.sha256(admitted.declared().stackYaml());
    List<FindingView> findings = admitted.findings().stream().map(FindingView::of).toList();
    List<DiffEntry> diff = submitted.diffed().entries().stream().map(DiffEntry::of).toList();
    if (submitted.outcome() == RolloutDriver.Outcome.CONFLICT) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "a rollout of this stack is in progress",
          "rollout "
              + submitted.activeRollout()
              + " of stack "
              + stack.metadata().name()
              + " has not finished: wait for it, or pause or abort it first",
          Map.of("rolloutId", submitted.activeRollout()));
    }
    boolean accepted = submitted.outcome() == RolloutDriver.Outcome.ACCEPTED;
    Accepted body =
        new Accepted(
            accepted ? rolloutId : null,
            accepted ? submitted.change().getEnvelope().getEventId() : null,
            stack.metadata().name(),
            components,
            clusters,
            plan.steps().size(),
            specRevision,
            dryRun,
            submitted.diffed().unchanged(),
            waves(plan),
            dryRun ? steps(plan) : List.of(),
            diff,
            findings);
    return accepted
        ? ResponseEntity.status(HttpStatus.ACCEPTED).body(body)
        : ResponseEntity.ok(body);
  }

  private String withRegisteredFleet(String documents, String fleet) {
    if (FLEET_DOCUMENT.matcher(documents).find()) {
      throw SpecException.of("fleet", "both a Fleet document and ?fleet=" + fleet + " given");
    }
    String yaml =
        loop.call(
            rollouts ->
                rollouts.fleets().containsKey(fleet)
                    ? rollouts.fleets().get(fleet).getFleetSpec()
                    : null,
            RolloutStatusController.LOOP_TIMEOUT);
    if (yaml == null) {
      throw SpecException.of("fleet", "no registered fleet named '" + fleet + "'");
    }
    return documents + "\n---\n" + yaml;
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
                    s.digest(),
                    s.change().name()))
        .toList();
  }
}
