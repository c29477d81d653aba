package io.stackpilot.notifier.whatif;

import io.stackpilot.contract.Topic;
import io.stackpilot.history.RecordedEvent;
import io.stackpilot.history.TopicRangeReader;
import io.stackpilot.notifier.delivery.RoutingConfigSource;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/routing/what-if?since=…&until=…} with a candidate routing file: what it would
 * have sent over that range of the topics, per receiver and severity, next to what was sent. Reads
 * the topics without a consumer group; sends nothing. 422 with the field paths for a file that does
 * not load, 400 for an instant that does not parse.
 */
@RestController
class WhatIfController {
  static final List<Topic> INPUTS =
      List.of(
          Topic.ALERTS,
          Topic.COMPONENT_HEALTH,
          Topic.ROLLOUT_STATUS,
          Topic.GATE_DECISIONS,
          Topic.NOTIFICATIONS_SENT);

  private final TopicRangeReader reader;
  private final WhatIf whatIf;

  WhatIfController(
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrap,
      @Value("${stackpilot.registry.url}") String registry,
      @Value("${stackpilot.notifier.events.resolve-after:24h}") Duration resolveAfter,
      @Value("${stackpilot.notifier.webhook.receiver:webhook}") String webhookReceiver,
      @Value("${stackpilot.notifier.what-if.read-timeout:60s}") Duration readTimeout) {
    this.reader =
        new TopicRangeReader(new TopicRangeReader.Settings(bootstrap, registry), null, readTimeout);
    this.whatIf = new WhatIf(resolveAfter, webhookReceiver);
  }

  @PostMapping(
      path = "/api/routing/what-if",
      consumes = {"application/yaml", "application/x-yaml", "text/plain", "text/yaml"})
  ResponseEntity<Map<String, Object>> whatIf(
      @RequestBody(required = false) String yaml,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until) {
    List<String> violations = RoutingConfigSource.validate(yaml == null ? "" : yaml);
    if (!violations.isEmpty()) {
      return ResponseEntity.unprocessableEntity()
          .body(Map.of("valid", false, "violations", violations));
    }
    Instant from;
    Instant to;
    try {
      from = since == null ? Instant.EPOCH : Instant.parse(since);
      to = until == null ? Instant.now() : Instant.parse(until);
    } catch (DateTimeParseException e) {
      return ResponseEntity.badRequest()
          .body(
              Map.of(
                  "error",
                  "since and until are ISO-8601 instants (2026-11-21T08:00:00Z): "
                      + e.getParsedString()));
    }
    TopicRangeReader.Loaded loaded;
    try {
      loaded =
          reader.read(
              new TopicRangeReader.Range(INPUTS.stream().map(Topic::topicName).toList(), from));
    } catch (KafkaException e) {
      // the request was fine; the brokers did not answer in time
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, "10")
          .body(Map.of("error", "the event log cannot be read now: " + e.getMessage()));
    }
    List<SpecificRecord> events =
        loaded.events().stream()
            .map(RecordedEvent::event)
            .filter(e -> !Topic.envelopeOf(e).getOccurredAt().isAfter(to))
            .toList();
    WhatIf.Report report = whatIf.compare(RoutingConfigLoader.load(yaml), events, to);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", report.from().toString());
    body.put("until", report.until().toString());
    body.put("events", report.events());
    body.put("candidate", tally(report.candidate()));
    body.put("recorded", tally(report.recorded()));
    body.put("skippedRecords", loaded.skipped());
    return ResponseEntity.ok(body);
  }

  private static Map<String, Object> tally(WhatIf.Tally tally) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", tally.total());
    out.put("byReceiver", tally.byReceiver());
    out.put("bySeverity", tally.bySeverity());
    return out;
  }
}
