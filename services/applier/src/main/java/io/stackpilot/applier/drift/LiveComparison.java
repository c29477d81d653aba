package io.stackpilot.applier.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.stackpilot.applier.AppliedFields;
import io.stackpilot.applier.ResourceRefs;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.DriftedObject;
import io.stackpilot.events.ObjectDrift;
import io.stackpilot.events.StepRequested;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a component's objects back from its cluster and names what no longer holds the last applied
 * step: the step is rendered again (rendering is a pure function of the step), and each rendered
 * object is compared with its live self field by field ({@link AppliedFields}). Values are never
 * kept: only which objects and which field paths differ.
 */
final class LiveComparison {
  private final StepRenderer renderer = new StepRenderer();

  /** The outcome: the drifted objects (empty: none) and how many objects were read. */
  record Result(List<DriftedObject> drifted, int checked) {}

  /**
   * @throws RuntimeException when the cluster cannot be read (the component is compared next round)
   */
  Result compare(KubernetesClient client, StepRequested step) {
    List<HasMetadata> rendered = renderer.render(step);
    var json = client.getKubernetesSerialization();
    List<DriftedObject> drifted = new ArrayList<>();
    for (HasMetadata object : rendered) {
      HasMetadata live = client.resource(object).get();
      if (live == null) {
        drifted.add(
            DriftedObject.newBuilder()
                .setResource(ResourceRefs.of(object))
                .setDrift(ObjectDrift.MISSING)
                .setFields(List.of())
                .build());
        continue;
      }
      List<String> fields =
          AppliedFields.differing(
              json.convertValue(live, JsonNode.class),
              json.convertValue(object, JsonNode.class),
              Integer.MAX_VALUE);
      if (!fields.isEmpty()) {
        int named = Math.min(fields.size(), DriftLedger.FIELDS_PER_OBJECT);
        drifted.add(
            DriftedObject.newBuilder()
                .setResource(ResourceRefs.of(live))
                .setDrift(ObjectDrift.MODIFIED)
                .setFields(List.copyOf(fields.subList(0, named)))
                .setMoreFields(fields.size() - named)
                .build());
      }
    }
    return new Result(drifted, rendered.size());
  }
}
