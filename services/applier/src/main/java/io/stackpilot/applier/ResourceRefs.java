package io.stackpilot.applier;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stackpilot.events.ResourceRef;

/** How events name a Kubernetes object. */
public final class ResourceRefs {
  private ResourceRefs() {}

  /** The object's reference, with the resourceVersion it carries (null before it is written). */
  public static ResourceRef of(HasMetadata object) {
    return ResourceRef.newBuilder()
        .setApiVersion(object.getApiVersion())
        .setKind(object.getKind())
        .setNamespace(object.getMetadata().getNamespace())
        .setName(object.getMetadata().getName())
        .setResourceVersion(object.getMetadata().getResourceVersion())
        .build();
  }
}
