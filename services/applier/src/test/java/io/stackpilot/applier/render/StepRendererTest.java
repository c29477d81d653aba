package io.stackpilot.applier.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.stackpilot.events.StepRequested;
import io.stackpilot.testing.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering is pure: the same step gives the same objects, marked as Stackpilot's. */
class StepRendererTest {
  final StepRenderer renderer = new StepRenderer();

  @Test
  void aStepRendersItsNamespaceAndARecordOfTheComponent() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");
    step.setValues(
        Map.of("loki.storage[0].bucket", "logs", "admin.existingSecret", "grafana-admin"));

    List<HasMetadata> objects = renderer.render(step);

    assertThat(objects).hasSize(2);
    assertThat(objects.get(0)).isInstanceOf(Namespace.class);
    assertThat(objects.get(0).getMetadata().getName()).isEqualTo("lgtm-system");
    ConfigMap cm = (ConfigMap) objects.get(1);
    assertThat(cm.getMetadata().getName()).isEqualTo("stackpilot-loki");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry(Ownership.MANAGED_BY, "stackpilot")
        .containsEntry(Ownership.COMPONENT, "loki");
    assertThat(cm.getMetadata().getAnnotations())
        .containsEntry(Ownership.DIGEST, step.getDigest())
        .containsEntry(Ownership.STEP, "r1/perso/loki")
        .containsEntry(Ownership.ROLLOUT, "r1");
    assertThat(cm.getData())
        .containsEntry("chart.version", "1.0.0")
        .containsEntry("values.loki.storage.0.bucket", "logs")
        .containsEntry("values.admin.existingSecret", "grafana-admin");
    assertThat(renderer.render(step)).isEqualTo(objects);
  }

  @Test
  void everyRenderedKindIsOneAPruneLooksThrough() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");

    assertThat(renderer.render(step))
        .allSatisfy(
            o ->
                assertThat(StepRenderer.KINDS)
                    .contains(
                        new StepRenderer.RenderedKind(
                            o.getApiVersion(),
                            o.getKind(),
                            o.getMetadata().getNamespace() != null)));
  }

  @Test
  void onlyTheComponentsOwnObjectsCarryItsPruneSelector() {
    StepRequested step = Events.stepRequested("r1", "perso", "loki");
    var selector = Ownership.componentSelector("loki");

    List<HasMetadata> selected =
        renderer.render(step).stream()
            .filter(o -> o.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
            .toList();

    // the Namespace is shared by every component in it, so no prune of one component removes it
    assertThat(selected).singleElement().isInstanceOf(ConfigMap.class);
  }
}
