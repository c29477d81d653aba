package io.stackpilot.planner.api;

import io.stackpilot.history.FleetHistory;
import io.stackpilot.history.Reports;
import io.stackpilot.history.Selection;
import io.stackpilot.history.Timeline;
import io.stackpilot.history.TopicRangeReader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit over HTTP, as {@code stackctl audit} gives it: a rollout's, a cluster's, a component's
 * or a time range's timeline in causal order (JSON, a text table or the self-contained HTML
 * report), and a cluster's state at an instant. Read from the topics alone on each request
 * (platform/history), without a consumer group; nothing here comes from the planner's memory.
 */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {
  private final TopicRangeReader reader;

  public AuditController(
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrap,
      @Value("${stackpilot.registry.url}") String registry,
      @Value("${stackpilot.planner.audit.read-timeout:60s}") Duration readTimeout) {
    this.reader =
        new TopicRangeReader(new TopicRangeReader.Settings(bootstrap, registry), null, readTimeout);
  }

  @GetMapping
  public ResponseEntity<String> timeline(
      @RequestParam(name = "rollout", required = false) String rollout,
      @RequestParam(name = "cluster", required = false) String cluster,
      @RequestParam(name = "component", required = false) String component,
      @RequestParam(name = "since", required = false) String since,
      @RequestParam(name = "until", required = false) String until,
      @RequestParam(name = "format", defaultValue = "json") String format) {
    Selection selection =
        new Selection(
            rollout, cluster, component, instant("since", since), instant("until", until));
    Timeline timeline = history().timeline(selection);
    switch (format) {
      case "json":
        return ResponseEntity.ok()
            .contentType(MediaType.APPLICATION_JSON)
            .body(Reports.json(timeline));
      case "html":
        return ResponseEntity.ok()
            .contentType(MediaType.TEXT_HTML)
            .body(Reports.html(title(rollout, cluster, component), timeline));
      case "table":
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(Reports.table(timeline));
      default:
        throw new ApiProblem(
            HttpStatus.BAD_REQUEST,
            "bad format",
            "format is json, html or table, not " + format,
            Map.of("field", "format"));
    }
  }

  /** The stack on one cluster as it stood at {@code at} (default: now). */
  @GetMapping(path = "/state", produces = MediaType.APPLICATION_JSON_VALUE)
  public String state(
      @RequestParam(name = "cluster") String cluster,
      @RequestParam(name = "at", required = false) String at) {
    Instant when = at == null ? Instant.now() : instant("at", at);
    return Reports.json(cluster, when.toString(), history().stateAt(when));
  }

  private FleetHistory history() {
    return reader.read(TopicRangeReader.Range.everything()).history();
  }

  private static String title(String rollout, String cluster, String component) {
    return "Stackpilot audit: "
        + (rollout != null
            ? "rollout " + rollout
            : cluster != null
                ? "cluster " + cluster
                : component != null ? "component " + component : "all events");
  }

  private static Instant instant(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "bad instant",
          field + " is an ISO-8601 instant such as 2026-11-21T08:00:00Z, not " + value,
          Map.of("field", field));
    }
  }
}
