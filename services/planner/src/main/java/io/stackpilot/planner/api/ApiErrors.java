package io.stackpilot.planner.api;

import io.stackpilot.planner.BlockedByRulesException;
import io.stackpilot.planner.rollout.NotLeaderException;
import io.stackpilot.planner.spec.SpecException;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Bad input is the caller's to fix: 4xx with the fields at fault (RFC 9457 problem details), never
 * a 5xx. Spring's own request errors (415, 400 unreadable body) come through the base class.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

  /** Blocking rules: 422 with every finding, and how to override one if you must. */
  @ExceptionHandler(BlockedByRulesException.class)
  ProblemDetail blocked(BlockedByRulesException e) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.UNPROCESSABLE_ENTITY);
    problem.setTitle("the stack trips pitfall rules");
    problem.setDetail(
        e.getMessage()
            + ". Fix them (see each hint), or override a rule with ?override=RULE-ID;"
            + " the override is recorded with your Stackpilot-Actor and Stackpilot-Reason.");
    problem.setProperty("findings", e.all());
    problem.setProperty("blocking", e.blocking().stream().map(f -> f.ruleId()).distinct().toList());
    return problem;
  }

  /** Unknown rollouts and fleets (404), a phase that does not allow a command (409). */
  @ExceptionHandler(ApiProblem.class)
  ProblemDetail problem(ApiProblem e) {
    ProblemDetail problem = ProblemDetail.forStatus(e.status());
    problem.setTitle(e.title());
    problem.setDetail(e.getMessage());
    e.properties().forEach(problem::setProperty);
    return problem;
  }

  /**
   * The brokers did not answer in time (an audit read): 503 with Retry-After, since the request was
   * fine and a later one can succeed.
   */
  @ExceptionHandler(KafkaException.class)
  ResponseEntity<ProblemDetail> kafkaUnavailable(KafkaException e) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.SERVICE_UNAVAILABLE);
    problem.setTitle("the event log cannot be read now");
    problem.setDetail(e.getClass().getSimpleName() + ": " + e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "10")
        .body(problem);
  }

  /** A write sent to a planner replica that does not lead: another replica takes it. */
  @ExceptionHandler(NotLeaderException.class)
  ProblemDetail notLeader(NotLeaderException e) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.SERVICE_UNAVAILABLE);
    problem.setTitle("not the leading planner");
    problem.setDetail(e.getMessage());
    return problem;
  }

  @ExceptionHandler(SpecException.class)
  ProblemDetail invalidSpec(SpecException e) {
    ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
    problem.setTitle("invalid stack or fleet");
    problem.setDetail(e.getMessage());
    List<SpecException.Violation> violations = e.violations();
    problem.setProperty("violations", violations);
    return problem;
  }
}
