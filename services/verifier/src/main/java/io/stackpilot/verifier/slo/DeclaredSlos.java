package io.stackpilot.verifier.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLOs a component declares, read from its step's typed settings ({@code componentSpec}, the
 * stack spec's field names: {@code slos[].name, service, objective, errorQuery, totalQuery,
 * alertName}). The same naming rules as at a gate, so a gate's evaluation and the watch's raise and
 * resolve the same alerts: the service defaults to the component, the alert name to {@code
 * <slo>-burn-rate}.
 */
public final class DeclaredSlos {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeclaredSlos() {}

  /** The declared SLOs; none when the spec has none or is unreadable (the planner wrote it). */
  public static List<SloEvaluator.Slo> of(String componentSpec, String component) {
    if (componentSpec == null || componentSpec.isBlank()) {
      return List.of();
    }
    JsonNode spec;
    try {
      spec = JSON.readTree(componentSpec);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    List<SloEvaluator.Slo> out = new ArrayList<>();
    for (JsonNode s : spec.path("slos")) {
      out.add(
          slo(
              s.path("name").asText(),
              s.hasNonNull("service") ? s.get("service").asText() : null,
              s.path("objective").asDouble(),
              s.path("errorQuery").asText(),
              s.path("totalQuery").asText(),
              s.hasNonNull("alertName") ? s.get("alertName").asText() : null,
              component));
    }
    return out;
  }

  /** One SLO with the defaults applied. */
  public static SloEvaluator.Slo slo(
      String name,
      String service,
      double objectivePercent,
      String errorQuery,
      String totalQuery,
      String alertName,
      String component) {
    return new SloEvaluator.Slo(
        name,
        service == null ? component : service,
        objectivePercent,
        errorQuery,
        totalQuery,
        alertName == null ? name + "-burn-rate" : alertName);
  }
}
