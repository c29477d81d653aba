package io.stackpilot.notifier;

import io.stackpilot.notifier.delivery.RoutingConfigSource;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Checks a routing configuration before it is deployed; says which one is in force. */
@RestController
class RoutingController {
  private final RoutingConfigSource configs;

  RoutingController(RoutingConfigSource configs) {
    this.configs = configs;
  }

  /** 200 when the YAML loads, 422 with every violation's field path when it does not. */
  @PostMapping(
      path = "/api/routing/validate",
      consumes = {"application/yaml", "application/x-yaml", "text/plain", "text/yaml"})
  ResponseEntity<Map<String, Object>> validate(@RequestBody(required = false) String yaml) {
    List<String> violations = RoutingConfigSource.validate(yaml == null ? "" : yaml);
    if (violations.isEmpty()) {
      return ResponseEntity.ok(Map.of("valid", true));
    }
    return ResponseEntity.unprocessableEntity()
        .body(Map.of("valid", false, "violations", violations));
  }

  @GetMapping("/api/routing")
  Map<String, Object> current() {
    return Map.of("generation", configs.current().generation());
  }
}
