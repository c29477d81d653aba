package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.StackSpec;
import java.util.List;

/** Longhorn 1.10+ storage classes need {@code dataEngine}. */
final class LonghornDataEngine extends SeedRule {
  static final String LONGHORN = "driver.longhorn.io";

  LonghornDataEngine() {
    super(
        "LONGHORN-DATA-ENGINE",
        Severity.ERROR,
        "000",
        "A Longhorn storage class (provisioner `driver.longhorn.io`) in `spec.storageClasses`"
            + " sets `parameters.dataEngine`. Seed 000: \"Longhorn 1.10.0+ requires `dataEngine:"
            + " \"v1\"` in StorageClass parameters for CSI storage capacity tracking. Without"
            + " this, Kubernetes cannot see available storage\" and pods stay Pending.",
        "Add `dataEngine: \"v1\"` to the storage class parameters.");
  }

  @Override
  void check(Views views, StackView view, List<Finding> out) {
    if (!view.declaredView() || view.declared().stack().spec() == null) {
      return;
    }
    List<StackSpec.StorageClass> classes = view.declared().stack().spec().storageClassesOrEmpty();
    for (int i = 0; i < classes.size(); i++) {
      StackSpec.StorageClass sc = classes.get(i);
      if (LONGHORN.equals(sc.provisioner())
          && Values.blank(sc.parametersOrEmpty().get("dataEngine"))) {
        out.add(
            finding(
                "stack.spec.storageClasses[" + i + "].parameters.dataEngine",
                "Longhorn storage class '"
                    + sc.name()
                    + "' has no dataEngine: CSI capacity tracking cannot see Longhorn storage,"
                    + " so its volumes stay Pending"));
      }
    }
  }
}
