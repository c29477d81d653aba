package io.stackpilot.planner.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.GateProbe;
import io.stackpilot.events.GateSlo;
import io.stackpilot.events.GateSubject;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.planner.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * One wave step as the verifier must judge it at the gate: what was applied, and what the component
 * declares to be checked (its type for the readiness probe, the cluster's tenant, its blackbox
 * probes and its SLOs), read from the step's typed settings. The verifier needs nothing else to
 * decide the gate, so a replay of the request decides it the same way.
 */
final class GateSubjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GateSubjects() {}

  static GateSubject of(Plan.Step step, List<ResourceRef> resources) {
    Plan.Render render = step.render();
    JsonNode settings = settings(render == null ? null : render.componentSpec(), step.stepId());
    return GateSubject.newBuilder()
        .setStepId(step.stepId())
        .setCluster(step.cluster())
        .setComponent(step.component())
        .setNamespace(step.namespace())
        .setDigest(step.digest())
        .setAction(step.action())
        .setResources(resources)
        .setComponentType(render == null ? null : render.componentType())
        .setTenant(step.tenant())
        .setProbes(probes(settings))
        .setSlos(slos(settings))
        .build();
  }

  private static JsonNode settings(String componentSpec, String stepId) {
    if (componentSpec == null || componentSpec.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(componentSpec);
    } catch (JsonProcessingException e) {
      // the planner wrote it from a parsed spec: unreadable is a bug, not bad input
      throw new IllegalStateException("step " + stepId + ": unreadable componentSpec", e);
    }
  }

  private static List<GateProbe> probes(JsonNode settings) {
    List<GateProbe> out = new ArrayList<>();
    for (JsonNode p : settings.path("probes")) {
      out.add(
          GateProbe.newBuilder()
              .setName(p.path("name").asText())
              .setUrl(p.path("url").asText())
              .setModule(p.path("module").asText("http_2xx"))
              .build());
    }
    return out;
  }

  private static List<GateSlo> slos(JsonNode settings) {
    List<GateSlo> out = new ArrayList<>();
    for (JsonNode s : settings.path("slos")) {
      out.add(
          GateSlo.newBuilder()
              .setName(s.path("name").asText())
              .setService(s.hasNonNull("service") ? s.get("service").asText() : null)
              .setObjectivePercent(s.path("objective").asDouble())
              .setErrorQuery(s.path("errorQuery").asText())
              .setTotalQuery(s.path("totalQuery").asText())
              .setAlertName(s.hasNonNull("alertName") ? s.get("alertName").asText() : null)
              .build());
    }
    return out;
  }
}
