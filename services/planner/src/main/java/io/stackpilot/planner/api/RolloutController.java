package io.stackpilot.planner.api;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import io.stackpilot.planner.spec.StackSpec;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.EventPublisher;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a platform team declares what it wants: a stack and a fleet as YAML. A valid declaration is
 * recorded as a desired-state-changed event, which starts a rollout; an invalid one is answered 400
 * with every violation and its field, and nothing is written.
 */
@RestController
@RequestMapping("/api/v1")
public class RolloutController {
  public static final String ACTOR_HEADER = "Stackpilot-Actor";
  public static final String REASON_HEADER = "Stackpilot-Reason";

  private final SpecParser parser;
  private final SpecValidator validator = new SpecValidator();
  private final Envelopes envelopes;
  private final EventPublisher publisher;

  public RolloutController(SpecParser parser, Envelopes envelopes, EventPublisher publisher) {
    this.parser = parser;
    this.envelopes = envelopes;
    this.publisher = publisher;
  }

  /** What the caller gets back: the rollout to follow on the topics. */
  public record Accepted(
      String rolloutId,
      String eventId,
      String stack,
      List<String> components,
      List<String> clusters,
      String specRevision) {}

  @PostMapping(
      path = "/rollouts",
      consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Accepted declare(
      @RequestBody String documents,
      @RequestHeader(name = ACTOR_HEADER, defaultValue = "api:anonymous") String actor,
      @RequestHeader(name = REASON_HEADER, defaultValue = "declared through the API")
          String reason) {
    SpecParser.Declared declared = parser.parse(documents);
    validator.validate(declared);
    StackSpec stack = declared.stack();
    String rolloutId = UUID.randomUUID().toString();
    DesiredStateChanged change =
        DesiredStateChanged.newBuilder()
            .setEnvelope(envelopes.root(actor, rolloutId))
            .setStackName(stack.metadata().name())
            .setSpecRevision("sha256:" + RolloutPlanner.sha256(declared.stackYaml()))
            .setFleetRevision("sha256:" + RolloutPlanner.sha256(declared.fleetYaml()))
            .setReason(reason)
            .setStackSpec(declared.stackYaml())
            .setFleetSpec(declared.fleetYaml())
            .setChangedComponents(
                stack.spec().components().stream().map(StackSpec.Component::name).toList())
            .build();
    publisher.publish(change);
    return new Accepted(
        rolloutId,
        change.getEnvelope().getEventId(),
        stack.metadata().name(),
        change.getChangedComponents(),
        declared.fleet().spec().clusters().stream().map(FleetSpec.Cluster::name).toList(),
        change.getSpecRevision());
  }
}
