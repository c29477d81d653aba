package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults as JSON, for the control API and the {@code --faults} file of {@link FleetSimulatorMain}:
 * applies a spec to a cluster's {@link ClusterFaults} and describes what is in force.
 *
 * <pre>{@code
 * {"rolloutDelay": "5s",
 *  "crashLoop": [{"workload": "mimir-ingester", "message": "...", "restartEvery": "10s"}],
 *  "oomKilled": ["tempo"], "imagePullBackOff": ["grafana"], "pvcPending": ["loki"],
 *  "slowRollout": [{"workload": "mimir-compactor", "readyAfter": "30s"}],
 *  "apiErrors": [{"code": 429, "fraction": 0.5, "path": "/configmaps"}],
 *  "timeouts": [{"hold": "30s", "fraction": 1.0, "path": ""}],
 *  "unreachable": true}
 * }</pre>
 */
final class FaultSpecs {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "rolloutDelay",
          "crashLoop",
          "oomKilled",
          "imagePullBackOff",
          "pvcPending",
          "slowRollout",
          "apiErrors",
          "timeouts",
          "unreachable");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private FaultSpecs() {}

  /** Adds the faults of {@code spec} to {@code faults}; unknown or malformed fields throw. */
  static void apply(JsonNode spec, ClusterFaults faults) {
    if (!spec.isObject()) {
      throw new IllegalArgumentException("a fault spec is a JSON object");
    }
    for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown fault " + name + "; known: " + FIELDS);
      }
    }
    if (spec.has("rolloutDelay")) {
      faults.rolloutDelay(duration(spec.get("rolloutDelay")));
    }
    for (JsonNode crash : spec.path("crashLoop")) {
      faults.crashLoop(
          text(crash, "workload"),
          crash.path("message").asText("exit status 1"),
          crash.has("restartEvery")
              ? duration(crash.get("restartEvery"))
              : ClusterFaults.DEFAULT_RESTART_EVERY);
    }
    spec.path("oomKilled").forEach(w -> faults.oomKilled(w.asText()));
    spec.path("imagePullBackOff").forEach(w -> faults.imagePullBackOff(w.asText()));
    spec.path("pvcPending").forEach(w -> faults.pvcPending(w.asText()));
    for (JsonNode slow : spec.path("slowRollout")) {
      faults.slowRollout(text(slow, "workload"), duration(slow.path("readyAfter")));
    }
    for (JsonNode error : spec.path("apiErrors")) {
      faults.apiErrors(
          error.path("code").asInt(500),
          error.path("fraction").asDouble(1.0),
          error.path("path").asText(""));
    }
    for (JsonNode timeout : spec.path("timeouts")) {
      faults.timeouts(
          duration(timeout.path("hold")),
          timeout.path("fraction").asDouble(1.0),
          timeout.path("path").asText(""));
    }
    if (spec.has("unreachable")) {
      if (spec.get("unreachable").asBoolean()) {
        faults.unreachable();
      } else {
        faults.reachable();
      }
    }
  }

  /** What is in force in one cluster. */
  static ObjectNode describe(String cluster, ClusterFaults faults) {
    ObjectNode node = JSON.createObjectNode();
    node.put("cluster", cluster);
    node.put("reachable", faults.isReachable());
    node.put("rolloutDelay", faults.rolloutDelay().toString());
    ObjectNode workloads = node.putObject("workloads");
    faults.workloadFaults().forEach((name, fault) -> workloads.put(name, fault.reason()));
    node.set("apiErrors", JSON.valueToTree(faults.apiErrors()));
    List<Map<String, Object>> timeouts =
        faults.timeouts().stream()
            .map(
                t ->
                    Map.<String, Object>of(
                        "hold", t.hold().toString(),
                        "fraction", t.fraction(),
                        "path", t.pathContains()))
            .toList();
    node.set("timeouts", JSON.valueToTree(timeouts));
    return node;
  }

  /** {@code "500ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"} or ISO-8601 {@code "PT5S"}. */
  static Duration duration(JsonNode node) {
    String text = node.asText("").trim().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "not a duration: '" + node.asText() + "' (use 500ms, 5s, 2m, 1h or PT5S)");
    }
  }

  private static String text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("missing " + field + " in " + node);
    }
    return value;
  }
}
