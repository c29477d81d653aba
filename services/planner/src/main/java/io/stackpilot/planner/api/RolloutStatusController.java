package io.stackpilot.planner.api;

import io.stackpilot.events.RolloutTransition;
import io.stackpilot.planner.rollout.RolloutDriver;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.planner.rollout.RolloutState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rollouts as the log says they stand, and the three things a person may do to one that is going:
 * pause it (steps in flight finish, nothing new starts), resume it, or abort it (nothing new
 * starts, nothing is undone). Each command is recorded as a transition with its actor and reason.
 */
@RestController
@RequestMapping("/api/v1/rollouts")
public class RolloutStatusController {
  static final Duration LOOP_TIMEOUT = Duration.ofSeconds(30);

  private final RolloutOrchestrator loop;
  private final RolloutDriver driver;

  public RolloutStatusController(RolloutOrchestrator loop, RolloutDriver driver) {
    this.loop = loop;
    this.driver = driver;
  }

  /** The rollouts, newest first. */
  public record Listing(List<RolloutViews.Summary> rollouts) {}

  @GetMapping
  public Listing list(@RequestParam(name = "stack", required = false) String stack) {
    return loop.call(
        rollouts ->
            new Listing(
                rollouts.all().stream()
                    .filter(r -> r.stack() != null)
                    .filter(r -> stack == null || stack.equals(r.stack()))
                    .map(RolloutViews::summary)
                    .toList()),
        LOOP_TIMEOUT);
  }

  @GetMapping("/{id}")
  public RolloutViews.Status status(@PathVariable("id") String id) {
    return loop.call(
        rollouts ->
            rollouts
                .get(id)
                .filter(r -> r.stack() != null)
                .map(RolloutViews::status)
                .orElseThrow(() -> ApiProblem.notFound("no rollout " + id)),
        LOOP_TIMEOUT);
  }

  @PostMapping("/{id}/pause")
  public RolloutViews.Status pause(
      @PathVariable("id") String id,
      @RequestHeader(name = RolloutController.ACTOR_HEADER, defaultValue = "api:anonymous")
          String actor,
      @RequestHeader(
              name = RolloutController.REASON_HEADER,
              defaultValue = "paused through the API")
          String reason) {
    return command(id, RolloutTransition.PAUSED, actor, reason);
  }

  @PostMapping("/{id}/resume")
  public RolloutViews.Status resume(
      @PathVariable("id") String id,
      @RequestHeader(name = RolloutController.ACTOR_HEADER, defaultValue = "api:anonymous")
          String actor,
      @RequestHeader(
              name = RolloutController.REASON_HEADER,
              defaultValue = "resumed through the API")
          String reason) {
    return command(id, RolloutTransition.RESUMED, actor, reason);
  }

  @PostMapping("/{id}/abort")
  public RolloutViews.Status abort(
      @PathVariable("id") String id,
      @RequestHeader(name = RolloutController.ACTOR_HEADER, defaultValue = "api:anonymous")
          String actor,
      @RequestHeader(
              name = RolloutController.REASON_HEADER,
              defaultValue = "aborted through the API")
          String reason) {
    return command(id, RolloutTransition.ABORTED, actor, reason);
  }

  private RolloutViews.Status command(
      String id, RolloutTransition command, String actor, String reason) {
    return loop.call(
        rollouts -> {
          RolloutState r =
              rollouts
                  .get(id)
                  .filter(s -> s.stack() != null)
                  .orElseThrow(() -> ApiProblem.notFound("no rollout " + id));
          RolloutDriver.Commanded done = driver.command(loop, r, command, actor, reason);
          if (done.transition() == null) {
            String phase = r.phase() == null ? "PENDING" : r.phase().name();
            throw new ApiProblem(
                HttpStatus.CONFLICT,
                "not allowed in this phase",
                "rollout " + id + " is " + phase + ": cannot " + verb(command),
                Map.of("rolloutId", id, "phase", phase));
          }
          return RolloutViews.status(r);
        },
        LOOP_TIMEOUT);
  }

  private static String verb(RolloutTransition command) {
    return switch (command) {
      case PAUSED -> "pause it";
      case RESUMED -> "resume it (only a paused rollout resumes)";
      default -> "abort it";
    };
  }
}
