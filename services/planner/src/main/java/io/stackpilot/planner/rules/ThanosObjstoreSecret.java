package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import io.stackpilot.planner.spec.StackSpec;
import java.util.List;
import java.util.Map;

/** Thanos and the Prometheus sidecar read their object store config from a Secret. */
final class ThanosObjstoreSecret extends SeedRule {
  ThanosObjstoreSecret() {
    super(
        "THANOS-OBJSTORE-SECRET",
        Severity.ERROR,
        "003",
        "Thanos components (typed `objectStorage.secretRef` or the chart's"
            + " `existingObjstoreSecret`) and a kube-prometheus-stack Thanos sidecar"
            + " (`prometheus.prometheusSpec.thanos.objectStorageConfig.existingSecret`) reference"
            + " the object store Secret. Seed 003: Secret `thanos-objstore-secret`, key"
            + " `objstore.yml`, \"Used By: Prometheus Thanos sidecar, Thanos components\".",
        "Reference the Secret: `objectStorage.secretRef: {name: thanos-objstore-secret, keys:"
            + " {objstore: objstore.yml}}` / `existingObjstoreSecret: thanos-objstore-secret`;"
            + " for the sidecar `objectStorageConfig.existingSecret: {name: thanos-objstore-secret,"
            + " key: objstore.yml}`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (c.is(ComponentType.THANOS) && !referenced(c)) {
      out.add(
          finding(
              c.field("objectStorage.secretRef"),
              "Thanos has no object store Secret reference: sidecar uploads, store gateway and"
                  + " compactor have no bucket to use"));
    }
    if (c.is(ComponentType.KUBE_PROMETHEUS_STACK)) {
      VPath thanos = VPath.of("prometheus", "prometheusSpec", "thanos");
      if (Values.map(Values.get(c.values(), thanos)).isEmpty()) {
        return;
      }
      VPath config = thanos.key("objectStorageConfig");
      boolean secret =
          !Values.blank(Values.get(c.values(), config.key("existingSecret").key("name")))
              || !Values.blank(Values.get(c.values(), config.key("name")));
      if (!secret) {
        out.add(
            finding(
                c.field(config),
                "the Thanos sidecar has no object store Secret reference: it cannot upload"
                    + " blocks"));
      }
    }
  }

  private static boolean referenced(StackView.ComponentView c) {
    StackSpec.ObjectStorage os = c.spec().objectStorage();
    boolean typed = os != null && os.secretRef() != null && !Values.blank(os.secretRef().name());
    Object raw = c.get("existingObjstoreSecret");
    return typed || (!Values.blank(raw) && !(raw instanceof Map<?, ?>));
  }
}
