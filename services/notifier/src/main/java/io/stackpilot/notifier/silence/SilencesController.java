package io.stackpilot.notifier.silence;

import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alertmanager's silences API v2 on the notifier: {@code POST /api/v2/silences} (200 with {@code
 * silenceID}), {@code GET /api/v2/silences}, {@code GET|DELETE /api/v2/silence/{id}}. Bodies and
 * answers have Alertmanager's JSON shape, so amtool-like clients work; a bad body is a 400 naming
 * the field.
 */
@RestController
class SilencesController {
  private final SilenceService service;

  SilencesController(SilenceService service) {
    this.service = service;
  }

  @PostMapping("/api/v2/silences")
  Map<String, Object> create(@RequestBody(required = false) SilenceRequest request) {
    if (request == null) {
      throw new InvalidSilenceException("body", "a silence is required");
    }
    return Map.of("silenceID", service.create(request));
  }

  /**
   * The silences, in Alertmanager's order (active by end, pending by start, expired latest end
   * first); with {@code filter} matchers (repeatable, {@code name="value"}), those that have each
   * of them among their own matchers (same name, operator and value), as Alertmanager filters.
   */
  @GetMapping("/api/v2/silences")
  List<Map<String, Object>> list(
      @RequestParam(name = "filter", required = false) List<String> filter) {
    Instant now = service.now();
    List<LabelMatcher> wanted = filters(filter);
    return service.all().stream()
        .filter(s -> listedBy(s, wanted))
        .sorted(order(now))
        .map(s -> gettable(s, now))
        .toList();
  }

  /**
   * Alertmanager's CheckSilenceMatchesFilterLabels: each filter matcher is one of the silence's.
   */
  static boolean listedBy(Silence s, List<LabelMatcher> filter) {
    return s.matchers().containsAll(filter);
  }

  static List<LabelMatcher> filters(List<String> filter) {
    List<LabelMatcher> out = new ArrayList<>();
    for (String f : filter == null ? List.<String>of() : filter) {
      try {
        out.add(LabelMatcher.parse(f));
      } catch (IllegalArgumentException e) {
        throw new InvalidSilenceException("filter", "bad matcher format: " + e.getMessage());
      }
    }
    return out;
  }

  /** Alertmanager's sortSilences. */
  static Comparator<Silence> order(Instant now) {
    Map<String, Integer> rank = Map.of("active", 0, "pending", 1, "expired", 2);
    return Comparator.<Silence>comparingInt(s -> rank.get(state(s, now)))
        .thenComparing(
            (a, b) ->
                switch (state(a, now)) {
                  case "active" -> a.endsAt().compareTo(b.endsAt());
                  case "pending" -> a.startsAt().compareTo(b.startsAt());
                  default -> b.endsAt().compareTo(a.endsAt());
                });
  }

  @GetMapping("/api/v2/silence/{id}")
  Map<String, Object> get(@PathVariable String id) {
    return service
        .get(id)
        .map(s -> gettable(s, service.now()))
        .orElseThrow(() -> new SilenceService.SilenceNotFoundException(id));
  }

  /** Expires the silence (Alertmanager keeps expired silences; so does the topic). */
  @DeleteMapping("/api/v2/silence/{id}")
  ResponseEntity<Void> expire(
      @PathVariable String id,
      @RequestHeader(name = "Stackpilot-Actor", required = false) String actor) {
    service.expire(id, actor == null || actor.isBlank() ? "user:unknown" : actor);
    return ResponseEntity.ok().build();
  }

  private Map<String, Object> gettable(Silence s, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("status", Map.of("state", state(s, now)));
    out.put("updatedAt", service.updatedAt(s).toString());
    out.put(
        "matchers",
        s.matchers().stream()
            .map(
                m ->
                    Map.of(
                        "name", m.name(),
                        "value", m.value(),
                        "isRegex", SilenceEvents.isRegex(m),
                        "isEqual", SilenceEvents.isEqual(m)))
            .toList());
    out.put("startsAt", s.startsAt().toString());
    out.put("endsAt", s.endsAt().toString());
    out.put("createdBy", s.createdBy());
    out.put("comment", s.comment());
    return out;
  }

  static String state(Silence s, Instant now) {
    if (s.expiredAt(now)) {
      return "expired";
    }
    return s.activeAt(now) ? "active" : "pending";
  }

  @ExceptionHandler(InvalidSilenceException.class)
  ResponseEntity<Map<String, String>> invalid(InvalidSilenceException e) {
    return ResponseEntity.badRequest().body(Map.of("field", e.field(), "error", e.getMessage()));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
    String field = "body";
    if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException jm
        && !jm.getPath().isEmpty()) {
      field = pathOf(jm);
    }
    return ResponseEntity.badRequest()
        .body(Map.of("field", field, "error", field + ": not readable as a silence"));
  }

  private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  @ExceptionHandler(SilenceService.SilenceNotFoundException.class)
  ResponseEntity<Map<String, String>> notFound(SilenceService.SilenceNotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(IllegalStateException.class)
  ResponseEntity<Map<String, String>> unavailable(IllegalStateException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("error", "silences store unavailable: " + e.getMessage()));
  }
}
